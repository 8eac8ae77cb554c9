#include "cli/stop_signals.hpp"

#include <csignal>

namespace smharden::cli {
namespace {

std::atomic<std::atomic<bool>*> g_cancel{nullptr};
std::atomic<int> g_requests{0};
std::atomic<bool> g_supervising{false};

extern "C" void on_stop_signal(int sig) {
#ifdef _WIN32
  std::signal(sig, on_stop_signal);  // the CRT resets the handler before calling it
#endif
  const int n = g_requests.fetch_add(1) + 1;
  if (std::atomic<bool>* cancel = g_cancel.load(); cancel != nullptr) cancel->store(true);
  if (n >= 2 && !g_supervising.load()) {
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
}

}  // namespace

#ifdef _WIN32
void install_stop_signals(std::atomic<bool>* cancel) {
  g_cancel = cancel;
  for (const int sig : {SIGINT, SIGTERM, SIGBREAK}) std::signal(sig, on_stop_signal);
}
#else
void install_stop_signals(std::atomic<bool>* cancel) {
  g_cancel = cancel;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a prompt waiting on the terminal returns
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &sa, nullptr);
  // A worker that died leaves a closed pipe: writing to it must fail, not end the supervisor.
  std::signal(SIGPIPE, SIG_IGN);
}
#endif

int stop_requests() { return g_requests.load(); }

void set_supervising(bool on) { g_supervising.store(on); }

}  // namespace smharden::cli
