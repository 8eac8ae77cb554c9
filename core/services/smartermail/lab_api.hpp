// The lab backend: the settings of a lab folder (<lab>/smartermail/*.json),
// answered in the API's shapes without HTTP or sign-in.
#pragma once

#include <filesystem>

#include "services/smartermail/api_backend.hpp"
#include "services/smartermail/lab_store.hpp"

namespace smharden::services::smartermail {

class lab_api final : public api_backend {
 public:
  lab_api(route_map map, std::filesystem::path dir, journaled_writes writes)
      : dir_(dir), store_(std::move(map), std::move(dir), std::move(writes)) {}

  std::string kind() const override { return "lab"; }
  json call(const std::string& route_key, const path_args& args, const json& body) override {
    try {
      return store_.handle(route_key, args, body);
    } catch (const lab_error& e) {
      const char* code = e.status() == 404 ? "not_found" : e.status() == 400 ? "invalid_params" : "failed";
      throw service_error(code, std::string("SmarterMail lab (") + route_key + "): " + e.what());
    }
  }
  /// <lab>/smartermail/documentation/<last part of the path>.html, when the lab has it.
  std::optional<std::string> documentation(const std::string& path) override;

 private:
  std::filesystem::path dir_;
  lab_store store_;
};

}  // namespace smharden::services::smartermail
