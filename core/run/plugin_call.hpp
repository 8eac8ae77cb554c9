// Calling a plugin's table: one instance per plugin per run (created on first
// use, destroyed when the run ends), and every call guarded so that nothing a
// plugin throws crosses into the host.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>

#include "registry/loaded_plugin.hpp"
#include "run/step_host.hpp"

namespace smharden::core {

class instance_pool {
 public:
  instance_pool() = default;
  instance_pool(const instance_pool&) = delete;
  instance_pool& operator=(const instance_pool&) = delete;
  ~instance_pool();

  /// The run's instance of `p`, created on first use; null with `error` set when create fails.
  smh_plugin_instance* get(const loaded_plugin& p, std::string& error);

  /// Destroys every instance, calling `around` with each plugin's id before its destroy and with
  /// "" after it (a supervised run puts a deadline on each destroy).
  void destroy_all(const std::function<void(const std::string& id)>& around = {});

 private:
  std::map<std::string, std::pair<const loaded_plugin*, smh_plugin_instance*>> instances_;
};

struct plugin_call_result {
  bool ok = false;
  std::string error;
};

/// Calls `p`'s check (or apply) with `host`'s context. A host-side violation (e.g. a mutating call
/// during check) makes the call fail whatever the plugin returned.
plugin_call_result call_plugin(const loaded_plugin& p, smh_plugin_instance* inst, bool apply, const step_host& host);

}  // namespace smharden::core
