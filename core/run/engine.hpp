// The engine owns a run: it plans (profile, validation, order, selection),
// builds the target's services, runs each step's check, and in apply mode
// applies the non-compliant steps and checks them again (verify), then does
// the requested restarts once each. Plugins are called through their C table
// with every call guarded.
#pragma once

#include <atomic>
#include <functional>

#include "registry/plugin_registry.hpp"
#include "report/run_report.hpp"
#include "run/run_observer.hpp"
#include "run/run_options.hpp"
#include "run/run_plan.hpp"
#include "runtime/audit_log.hpp"
#include "runtime/secret_store.hpp"
#include "services/service.hpp"

namespace smharden::core {

struct engine_hooks {
  /// Journal for apply runs; may be null.
  run_observer* observer = nullptr;
  /// The run's folder (journal, report, backups); empty in check mode.
  std::filesystem::path run_dir;
  /// Called when a step starts and when it ends (for the console progress line).
  std::function<void(const std::string& step, std::size_t index, std::size_t total)> step_started;
  std::function<void(const step_result&)> step_finished;
  std::function<void(const std::string& step, uint32_t, uint32_t, const std::string&)> progress;
  /// Called before each call into a plugin ("create", "check" or "apply") with how long it may
  /// take, and when it returned; a supervisor enforces the timeout.
  std::function<void(const std::string& step, const std::string& phase, int timeout_seconds)> plugin_call;
  std::function<void()> plugin_call_done;
  /// Called once the target's services are up, before any step: reads the target as it is before the
  /// run (the health probe settles there what it will check, without opening the target again).
  std::function<void(const services::registry&)> session_ready;
  /// Adds services beyond the target's own (tests use an in-memory one).
  std::function<void(services::service_list&, services::service_env&)> extra_services;
};

class engine {
 public:
  engine(const plugin_registry& plugins, secret_store& secrets, const redactor& redact, audit_log& log);

  /// Runs `plan` (from plan_run) against opts.target. Never throws for a
  /// plugin's failure (that is a step status); throws core::error when the
  /// run cannot start (e.g. the target's services cannot be created).
  run_report run(const run_plan& plan, const run_options& opts, const std::string& run_id,
                 const std::atomic<bool>& cancel, const engine_hooks& hooks = {});

 private:
  const plugin_registry& plugins_;
  secret_store& secrets_;
  const redactor& redact_;
  audit_log& log_;
};

/// A step's timeout when neither its plugin's manifest nor the profile sets one.
inline constexpr int default_step_timeout_seconds = 600;

/// The exit code a finished run's statuses call for (see core::exit_code).
int exit_code_for(const run_report& report);

}  // namespace smharden::core
