// Everything decided before any plugin code runs: the merged profile, its
// validation against the plugins' schemas, the step order and the selection.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "graph/step_graph.hpp"
#include "profile/profile.hpp"
#include "registry/plugin_registry.hpp"

namespace smharden::core {

struct run_plan {
  profile prof;
  std::map<std::string, plugin_node> nodes;      ///< every loaded plugin
  std::vector<std::string> order;                ///< the run's steps, dependencies first
  std::set<std::string> selected;                ///< the steps to run (others are checked only as dependencies)
  std::map<std::string, nlohmann::json> params;  ///< per step, schema defaults filled in
};

/// Loads nothing itself: validates `prof` against the registry's plugins,
/// orders and selects. Throws profile_error / graph_error / usage_error.
run_plan plan_run(const plugin_registry& plugins, profile prof, const selection& sel);

}  // namespace smharden::core
