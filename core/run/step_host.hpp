// The host side of smh_call_context_v1 for one step: routes service calls
// through the mutation gate (refuse mutating calls in check mode, journal them in
// apply), collects findings and changes, hands out secrets, and records
// restart requests. One step_host lives exactly as long as one plugin call.
#pragma once

#include <smharden/plugin_abi.h>

#include <atomic>
#include <deque>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run/mutation_gate.hpp"
#include "run/restarts.hpp"
#include "runtime/redactor.hpp"
#include "runtime/secret_store.hpp"
#include "services/service_registry.hpp"

namespace smharden::core {

enum class run_mode { check, apply };

/// What every step_host of a run shares. Owned by the engine.
struct step_host_shared {
  const services::registry* methods = nullptr;
  secret_store* secrets = nullptr;
  const redactor* redact = nullptr;
  mutation_gate* gate = nullptr;  ///< null in check mode
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(smh_log_level, const std::string&)> log;
  std::function<void(const std::string& step, uint32_t, uint32_t, const std::string&)> progress;
  std::vector<restart_request>* restarts = nullptr;
};

class step_host {
 public:
  step_host(const step_host_shared& shared, std::string step_id, run_mode mode, std::string default_severity,
            const nlohmann::json& params, const nlohmann::json& management_cidrs);

  /// The context to hand to the plugin; valid while this object lives.
  const smh_call_context_v1& context() const noexcept { return ctx_; }

  const nlohmann::json& findings() const noexcept { return findings_; }
  const nlohmann::json& changes() const noexcept { return changes_; }
  /// Set when the plugin attempted something the host refused (e.g. a
  /// mutating call in check mode); the step is then an error whatever the
  /// plugin returned.
  const std::string& violation() const noexcept { return violation_; }
  /// Calls the plugin made, by method name (for tests and benchmarks).
  std::size_t call_count() const noexcept { return calls_; }

 private:
  static step_host& self(smh_host_step* h) { return *reinterpret_cast<step_host*>(h); }
  static smh_status on_call_service(smh_host_step* h, const char* method, const char* params, const char** result);
  static void on_log(smh_host_step* h, smh_log_level level, const char* message);
  static smh_status on_emit_finding(smh_host_step* h, const char* finding);
  static smh_status on_emit_change(smh_host_step* h, const char* change);
  static smh_status on_get_secret(smh_host_step* h, const char* name, const char** value);
  static smh_status on_put_secret(smh_host_step* h, const char* name, const char* value);
  static void on_progress(smh_host_step* h, uint32_t done, uint32_t total, const char* label);
  static uint32_t on_is_cancelled(smh_host_step* h);
  static smh_status on_request_restart(smh_host_step* h, const char* request);

  smh_status call(const char* method, const char* params, const char** result);
  smh_status fail(smh_status status, const std::string& code, const std::string& message, const char** result);

  const step_host_shared& shared_;
  std::string step_id_;
  run_mode mode_;
  std::string default_severity_;
  std::string params_text_;
  std::string cidrs_text_;
  smh_call_context_v1 ctx_{};
  nlohmann::json findings_ = nlohmann::json::array();
  nlohmann::json changes_ = nlohmann::json::array();
  std::string violation_;
  std::string last_result_;
  std::deque<std::string> secret_values_;  // stable addresses until the step ends
  std::size_t calls_ = 0;
};

}  // namespace smharden::core
