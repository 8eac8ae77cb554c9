// The operator's stop requests, for the whole life of the process: the
// handlers are installed first thing (before anything can change), so that
// Ctrl-C, SIGTERM and SIGHUP (an SSH session that drops) never end a run by
// the signal's default action. The first request sets the run's cancel flag
// (a supervised run's worker stops after the current step; a rollback after
// the current undo); the second is taken by the supervisor, which kills the
// worker at once; outside a supervised run a second request ends the process
// by the signal's default action.
#pragma once

#include <atomic>

namespace smharden::cli {

/// Installs the handlers; requests set `*cancel` (none when null: the flag's owner is gone).
void install_stop_signals(std::atomic<bool>* cancel);

/// How many stop requests arrived so far.
int stop_requests();

/// While true, the second request is left to the supervisor instead of ending the process.
void set_supervising(bool on);

}  // namespace smharden::cli
