#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "engine/step_host.hpp"
#include "graph/step_graph.hpp"
#include "services/target.hpp"

namespace smharden::core {

struct run_options {
  run_mode mode = run_mode::check;
  std::filesystem::path profile_file;
  services::target target;
  selection select;
  bool no_restart = false;          ///< leave requested restarts pending
  bool no_auto_rollback = false;    ///< keep a failed apply's changes
  bool allow_lockout_risk = false;  ///< let plugins apply allow-lists that exclude management ranges
};

}  // namespace smharden::core
