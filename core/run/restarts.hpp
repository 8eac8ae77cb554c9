// Restarts at the end of an apply or a rollback: each service or app pool at
// most once, in the order first requested, through the mutation gate
// (journaled as the step "engine"), so that the changed settings take effect.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "report/run_report.hpp"
#include "run/mutation_gate.hpp"
#include "runtime/audit_log.hpp"
#include "runtime/redactor.hpp"

namespace smharden::core {

struct restart_request {
  std::string kind;  ///< a kind of run/restart_table.hpp
  std::string name;
  std::string step;  ///< who asked for it
};

struct restart_settings {
  bool no_restart = false;  ///< --no-restart: leave every restart pending
  /// What the restart makes take effect, for the pending messages ("the change", "the restored settings").
  std::string what = "the change";
  /// "run" or "rollback", for the message when the operator interrupted before the restarts.
  std::string run_kind = "run";
  const std::atomic<bool>* cancel = nullptr;
};

/// The target's methods, built on first use (a rollback builds a fresh session only when it restarts).
using methods_source = std::function<const services::registry&()>;

std::vector<restart_result> perform_restarts(const std::vector<restart_request>& requests,
                                             const methods_source& methods, mutation_gate& gate,
                                             const restart_settings& settings, const redactor& redact, audit_log& log);

}  // namespace smharden::core
