// Check and apply runs, whole: the CLI (or any other caller) calls one
// function and gets the report. An apply run gets its run folder and journal
// (run_start ... run_end), the engine's steps and restarts, the health probe,
// the automatic rollback of a failed apply (unless no_auto_rollback), what an
// interrupted run tells the operator, and report.json in the run folder.
#pragma once

#include "report/run_report.hpp"
#include "run/run_context.hpp"
#include "run/run_options.hpp"
#include "run/run_plan.hpp"

namespace smharden::core {

/// A check: reads the target, changes nothing, journals nothing.
run_report run_check(run_context& ctx, const run_plan& plan, const run_options& opts,
                     const run_progress& progress = {});

/// An apply (opts.mode is ignored). Throws core::error when the run cannot start; the journal then
/// ends with an "error" outcome.
run_report run_apply(run_context& ctx, const run_plan& plan, const run_options& opts,
                     const run_progress& progress = {});

/// The end of a supervised apply whose worker died, hung past a step's timeout or was stopped at
/// once by the operator: appends the worker's end (report.extra["worker"]) to the run's journal,
/// rolls the changes back unless `no_auto_rollback` or `stopped_at_once` (an interrupted run is
/// never rolled back automatically; the report says how), journals run_end and writes report.json.
/// Loads no plugin.
void finish_abandoned_apply(run_context& ctx, const std::filesystem::path& run_dir, bool no_auto_rollback,
                            bool stopped_at_once, run_report& report);

/// What an interrupted apply tells the operator (report.extra["interrupted"] and a notice): how many
/// changes were made and the command that undoes them. `at_once`: the running call was killed.
void note_interrupted(run_report& report, std::int64_t changes, bool at_once);

}  // namespace smharden::core
