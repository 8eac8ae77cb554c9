#include "cli/run_worker.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "base/errors.hpp"

namespace smharden::cli {
namespace {

// The worker's cancel flag outlives every thread that may still set it.
std::atomic<bool>* g_worker_cancel = nullptr;

/// Reads "stop" lines from the supervisor; the end of stdin (the supervisor is gone) stops too.
void watch_supervisor() {
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line == "stop" && g_worker_cancel != nullptr) g_worker_cancel->store(true);
  }
  if (g_worker_cancel != nullptr) g_worker_cancel->store(true);
}

}  // namespace

void send_to_supervisor(const cli_context& ctx, const nlohmann::json& event) {
  if (ctx.worker && ctx.worker->channel != nullptr) {
    ctx.worker->channel->send_line(event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
}

int run_worker(const std::function<int(cli_context&, const std::vector<std::string>&)>& run_app) {
  static core::result_channel channel;  // from here on, stdout is the worker's stderr
  std::string line;
  if (!std::getline(std::cin, line)) {
    std::cerr << "smharden: " << worker_flag << " is started by smharden itself, with its request on stdin\n";
    return static_cast<int>(core::exit_code::usage);
  }
  const nlohmann::json request = nlohmann::json::parse(line, nullptr, false);
  if (!request.is_object() || !request.contains("args") || !request.contains("mode")) {
    std::cerr << "smharden: " << worker_flag << ": the request is not valid\n";
    return static_cast<int>(core::exit_code::usage);
  }
  // Static: the detached reader below may still run while the process exits.
  static cli_context ctx;
  ctx.worker = worker_settings{request.value("mode", "check"), request.value("run_id", ""),
                               request.value("secrets", std::map<std::string, std::string>{}), &channel};
  g_worker_cancel = &ctx.cancel;
  std::thread(watch_supervisor).detach();
  const int code = run_app(ctx, request["args"].get<std::vector<std::string>>());
  // Plugins and the log first, while the reader thread still blocks on stdin; then end without
  // running static destructors under it.
  ctx.plugins.reset();
  ctx.log.reset();
  std::cout.flush();
  std::cerr.flush();
  std::fflush(stdout);  // not fflush(nullptr): it would wait for stdin, which the reader holds
  std::fflush(stderr);
  std::_Exit(code);
}

}  // namespace smharden::cli
