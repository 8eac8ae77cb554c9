// A service under test over a lab folder, with a fake service environment
// (recorded file announcements, secrets from a map, a silent log), called the
// way the engine calls it: the undo record before the call, replay for a
// rollback. Each service's fixture seeds its lab and attaches its service.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "services/service.hpp"
#include "services/service_registry.hpp"
#include "temp_dir.hpp"

namespace smharden::test {

class service_lab {
 public:
  explicit service_lab(const std::string& tag);
  service_lab(const service_lab&) = delete;
  service_lab& operator=(const service_lab&) = delete;

  temp_dir dir;
  /// What env.secret answers.
  std::map<std::string, std::string> secrets;
  /// Every path passed to env.before_file_write, in order.
  std::vector<std::filesystem::path> announced;
  services::service_env env;
  services::registry registry;
  std::unique_ptr<services::service> service;

  /// A target of `kind` rooted at dir.
  services::target make_target(services::target_kind kind = services::target_kind::lab) const;
  /// Takes the service under test and registers its methods.
  void attach(std::unique_ptr<services::service> s);

  /// Invokes a method (throws std::logic_error when there is no such method).
  nlohmann::json call(const std::string& method, const nlohmann::json& params = nlohmann::json::object());
  /// The undo record of a mutating method for `params` (throws when the method has no undo).
  services::undo_record undo(const std::string& method, const nlohmann::json& params);
  /// Undo record, then the call, like the engine; returns the undo record.
  services::undo_record call_journaled(const std::string& method, const nlohmann::json& params);
  /// Replays an undo record's calls, as a rollback does.
  void replay(const services::undo_record& record);
};

}  // namespace smharden::test
