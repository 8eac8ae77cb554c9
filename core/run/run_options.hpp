#pragma once

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "graph/step_graph.hpp"
#include "run/step_host.hpp"
#include "services/target.hpp"

namespace smharden::core {

struct run_options {
  run_mode mode = run_mode::check;
  std::filesystem::path profile_file;
  services::target target;
  selection select;
  bool no_restart = false;           ///< leave requested restarts pending
  bool no_auto_rollback = false;     ///< keep a failed apply's changes
  bool allow_lockout_risk = false;   ///< let plugins apply allow-lists that exclude management ranges
  bool allow_access_change = false;  ///< let steps take access from an audience of the profile (recorded)
  /// --rotate-service-password: accounts, service and iis-identity set a new password (password_rotation.hpp).
  /// A check with it (apply's confirmation preview) shows the rotation's findings and changes nothing.
  bool rotate_service_password = false;
  /// --target as the operator gave it (a target file is journaled by its absolute path, so that
  /// rollback rebuilds the same target).
  std::string target_spec;
  /// --wait-lock: how long an apply waits for another run's lock (run_lock.hpp); 0 = refused at once.
  std::chrono::seconds wait_lock{0};
  /// An apply's run id when the caller chose it (empty: a new one).
  std::string run_id;
  /// The caller holds the run lock for `run_id` (a supervising process): the apply takes none.
  bool locked_by_caller = false;
  /// The post-apply health probe's settings, validated (health_probe.hpp); empty: no probe.
  nlohmann::json health = nlohmann::json::object();
};

}  // namespace smharden::core
