// What a run borrows from the process that starts it (the CLI, a test): the
// plugins, the secrets and their redaction, the audit log, the operator's
// interrupt flag and the state folder. Every member outlives the run.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>

#include "registry/plugin_registry.hpp"
#include "report/run_report.hpp"
#include "runtime/audit_log.hpp"
#include "runtime/redactor.hpp"
#include "runtime/secret_store.hpp"

namespace smharden::core {

struct run_context {
  const plugin_registry& plugins;
  secret_store& secrets;
  const redactor& redact;
  audit_log& log;
  const std::atomic<bool>& cancel;
  std::filesystem::path state_dir;
};

/// What a console shows while a run goes on; every member may be empty.
struct run_progress {
  std::function<void(const std::string& step, std::size_t index, std::size_t total)> step_started;
  std::function<void(const std::string& step, uint32_t done, uint32_t total, const std::string& label)> progress;
  /// For a supervising process: the apply's run folder exists and its journal has run_start; each
  /// call into a plugin starts (with its timeout) and returns; a selected step is finished.
  std::function<void(const std::string& run_id, const std::filesystem::path& run_dir)> run_started;
  std::function<void(const std::string& step, const std::string& phase, int timeout_seconds)> plugin_call;
  std::function<void()> plugin_call_done;
  std::function<void(const step_result&)> step_finished;
};

}  // namespace smharden::core
