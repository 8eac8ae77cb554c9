// A supervised run: check and apply run the engine (and so every plugin) in
// a worker process, this same program started again; the supervisor keeps the
// run. The worker reports over its stdout, one JSON object per line:
//
//   {"t":"begin", mode, target, profile, chain}     the plan is made, the run starts
//   {"t":"run", run_id, run_dir}                     run id (and the apply's run folder)
//   {"t":"step_started", step, index, total}         console progress
//   {"t":"progress", step, done, total, label}
//   {"t":"call", step, phase, timeout}               a call into a plugin starts
//   {"t":"call_done"}                                  ... and returned
//   {"t":"step", result}                             a selected step is finished
//   {"t":"report", report}                           the run's report: the end
//   {"t":"error", code, message}                     the run could not start
//
// and reads on stdin the request (one line), then "stop" when the operator
// asks to stop after the current step. What the worker writes to its stderr
// (its own messages and anything a plugin prints) goes to worker_output.
// When the worker ends without a report, or a plugin call outlives its
// timeout, or the operator asks a second time, the supervisor kills the
// worker and ends the run itself: exit 4, a report naming the step, and for
// an apply the automatic rollback (finish_abandoned_apply).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "report/run_report.hpp"
#include "run/run_context.hpp"

namespace smharden::core {

struct supervised_run {
  std::vector<std::string> worker_args;  ///< the worker's argv[1...]: nothing secret
  std::string request;                   ///< the first line of the worker's stdin (may carry secrets)
  bool apply = false;
  bool no_auto_rollback = false;
};

struct supervisor_console {
  run_progress progress;
  /// How many times the operator asked to stop (Ctrl-C, SIGTERM, SIGHUP) so far.
  std::function<int()> stop_requests;
  /// One line the worker wrote to its stderr.
  std::function<void(const std::string&)> worker_output;
};

/// Runs the worker to its end and returns the run's report. Throws core::error with the worker's
/// code when the run could not start (a bad profile, an unknown target, ...).
run_report supervise_run(run_context& ctx, const supervised_run& run, const supervisor_console& console);

}  // namespace smharden::core
