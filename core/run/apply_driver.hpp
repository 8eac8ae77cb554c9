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

}  // namespace smharden::core
