// A fresh Windows lab in a temporary folder, with the windows service and a
// recording service_env, for the lab backend and service tests.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/atomic_file.hpp"
#include "process.hpp"
#include "services/service.hpp"
#include "services/service_registry.hpp"
#include "services/windows/lab_backend.hpp"
#include "services/windows/windows_service.hpp"

namespace smharden::test {

struct windows_lab {
  temp_dir dir{"smharden-windows"};
  std::map<std::string, std::string> secrets;
  std::vector<std::filesystem::path> backed_up;
  services::service_env env;
  services::registry registry;
  std::unique_ptr<services::service> service;

  explicit windows_lab(services::target_kind kind = services::target_kind::lab, bool seed = true) {
    if (seed) services::windows::seed_windows_lab(dir.path());
    env.before_file_write = [this](const std::filesystem::path& p) { backed_up.push_back(p); };
    env.secret = [this](const std::string& name) -> std::optional<std::string> {
      const auto it = secrets.find(name);
      if (it == secrets.end()) return std::nullopt;
      return it->second;
    };
    env.log = [](const std::string&) {};
    services::target t;
    t.kind = kind;
    t.root = dir.path();
    service = services::windows::make_windows_service(t, env);
    service->register_methods(registry);
  }

  std::filesystem::path state_file() const { return dir.path() / "windows" / "state.json"; }
  std::string state_text() const { return util::read_file(state_file()); }

  nlohmann::json call(const std::string& method, const nlohmann::json& params) {
    const auto* m = registry.find(method);
    if (m == nullptr) throw std::logic_error("no method " + method);
    return m->invoke(params);
  }
  services::undo_record undo(const std::string& method, const nlohmann::json& params) {
    const auto* m = registry.find(method);
    if (m == nullptr || !m->undo) throw std::logic_error("no undo for " + method);
    return m->undo(params);
  }
  // Runs undo (before) + call, like the engine; returns the undo record.
  services::undo_record call_journaled(const std::string& method, const nlohmann::json& params) {
    auto rec = undo(method, params);
    call(method, params);
    return rec;
  }
  void replay(const services::undo_record& rec) {
    for (const auto& c : rec.calls) call(c.at("method").get<std::string>(), c.at("params"));
  }

  services::windows::lab_backend backend(bool writable = true) {
    services::windows::lab_backend::options o;
    o.state_file = state_file();
    o.writable = writable;
    return services::windows::lab_backend(o);
  }
};

}  // namespace smharden::test
