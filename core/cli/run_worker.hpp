// The worker process of a supervised check or apply (run/supervisor.hpp):
// `smharden --internal-run-worker`, started only by smharden itself, reads
// its request (the command line, what to run, the secrets) from stdin, runs
// the engine here and reports to the supervisor over its stdout.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/cli_context.hpp"

namespace smharden::cli {

/// The first argument that makes smharden a worker; not a command an operator uses.
inline constexpr const char* worker_flag = "--internal-run-worker";

/// Runs the command line in `args` as a worker with `run_app` (which parses and dispatches it);
/// returns the process exit code.
int run_worker(const std::function<int(cli_context&, const std::vector<std::string>&)>& run_app);

/// Sends one event to the supervisor (no-op outside a worker).
void send_to_supervisor(const cli_context& ctx, const nlohmann::json& event);

}  // namespace smharden::cli
