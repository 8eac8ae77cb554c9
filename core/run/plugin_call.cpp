#include "run/plugin_call.hpp"

#include <fmt/format.h>

namespace smharden::core {

instance_pool::~instance_pool() { destroy_all(); }

void instance_pool::destroy_all(const std::function<void(const std::string& id)>& around) {
  for (auto& [id, entry] : instances_) {
    if (entry.second == nullptr) continue;
    if (around) around(id);
    try {
      entry.first->table().destroy(entry.second);
    } catch (...) {
      // Nothing a plugin throws crosses into the host; the instance is gone either way.
    }
    entry.second = nullptr;
    if (around) around("");
  }
  instances_.clear();
}

smh_plugin_instance* instance_pool::get(const loaded_plugin& p, std::string& error) {
  auto it = instances_.find(p.manifest().id);
  if (it != instances_.end()) return it->second.second;
  smh_plugin_instance* inst = nullptr;
  smh_status status = SMH_ERR_FAILED;
  try {
    status = p.table().create(&inst);
  } catch (...) {
    status = SMH_ERR_FAILED;
  }
  if (status != SMH_OK || inst == nullptr) {
    error = fmt::format("the plugin could not create an instance (status {})", status);
    if (inst != nullptr) {
      error += fmt::format(": {}", p.table().last_error(inst));
      p.table().destroy(inst);
    }
    return nullptr;
  }
  instances_.emplace(p.manifest().id, std::make_pair(&p, inst));
  return inst;
}

plugin_call_result call_plugin(const loaded_plugin& p, smh_plugin_instance* inst, bool apply, const step_host& host) {
  smh_status status = SMH_ERR_FAILED;
  plugin_call_result r;
  try {
    status = apply ? p.table().apply(inst, &host.context()) : p.table().check(inst, &host.context());
  } catch (...) {
    r.error = "the plugin let an exception cross the ABI boundary";
    return r;
  }
  if (!host.violation().empty()) {
    r.error = host.violation();
    return r;
  }
  if (status != SMH_OK) {
    const char* why = nullptr;
    try {
      why = p.table().last_error(inst);
    } catch (...) {
    }
    r.error = why != nullptr && *why != '\0' ? why : fmt::format("the plugin returned status {}", status);
    if (status == SMH_ERR_CANCELLED) r.error = "cancelled by the operator";
    return r;
  }
  r.ok = true;
  return r;
}

}  // namespace smharden::core
