#include "run/run_plan.hpp"

#include <algorithm>

namespace smharden::core {

run_plan plan_run(const plugin_registry& plugins, profile prof, const selection& sel) {
  run_plan plan;
  std::map<std::string, nlohmann::json> schemas;
  for (const loaded_plugin* p : plugins.plugins()) {
    plan.nodes.emplace(p->manifest().id, p->manifest().node());
    schemas.emplace(p->manifest().id, p->manifest().params_schema);
  }
  validate_params(prof, schemas);

  std::vector<std::string> enabled;
  for (const auto& step : prof.steps) {
    if (step.enabled) enabled.push_back(step.id);
  }
  plan.order = order_steps(enabled, plan.nodes);

  plan.selected = select_steps(plan.order, plan.nodes, sel);
  // A disabled step, or a required plugin the profile does not list, is never
  // selected: it runs only as a read-only dependency check.
  for (const auto& id : plan.order) {
    if (std::find(enabled.begin(), enabled.end(), id) == enabled.end()) plan.selected.erase(id);
  }

  for (const auto& id : plan.order) {
    const step_config* cfg = prof.find_step(id);
    const nlohmann::json given = cfg != nullptr ? nlohmann::json(cfg->params) : nlohmann::json::object();
    plan.params[id] = apply_schema_defaults(given, schemas.at(id));
  }
  plan.prof = std::move(prof);
  return plan;
}

}  // namespace smharden::core
