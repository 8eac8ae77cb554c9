#include "services/windows/win32/service_wait.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace smharden::services::windows::win32 {

std::uint32_t service_poll_interval(std::uint32_t wait_hint_ms, const service_wait_limits& limits) {
  return std::clamp(wait_hint_ms / 10, limits.min_poll_ms, std::max(limits.min_poll_ms, limits.max_poll_ms));
}

service_wait_outcome wait_for_service_state(service_state target, const service_wait_io& io,
                                            const service_wait_limits& limits) {
  service_wait_outcome out;
  const std::uint64_t start = io.now_ms();
  std::uint64_t progress_at = start;
  bool have_checkpoint = false;
  std::uint32_t last_checkpoint = 0;
  for (;;) {
    out.last = io.query();
    ++out.polls;
    const service_status_sample& s = out.last;
    if (s.state == target) {
      out.result = service_wait_result::reached;
      return out;
    }
    // Waiting for running and the service is stopped (not stop-pending): the
    // start failed; its exit code says why.
    if (target == service_state::running && s.state == service_state::stopped) {
      out.result = service_wait_result::stopped;
      return out;
    }
    const std::uint64_t now = io.now_ms();
    if (!have_checkpoint || s.checkpoint != last_checkpoint) {
      have_checkpoint = true;
      last_checkpoint = s.checkpoint;
      progress_at = now;
    }
    const std::uint32_t hint = s.wait_hint_ms != 0 ? s.wait_hint_ms : limits.default_wait_hint_ms;
    if (now - progress_at > hint) {
      out.result = service_wait_result::stalled;
      return out;
    }
    if (now - start >= limits.overall_timeout_ms) {
      out.result = service_wait_result::timed_out;
      return out;
    }
    io.sleep(service_poll_interval(hint, limits));
  }
}

const char* service_state_text(service_state state) {
  switch (state) {
    case service_state::stopped:
      return "stopped";
    case service_state::start_pending:
      return "start pending";
    case service_state::stop_pending:
      return "stop pending";
    case service_state::running:
      return "running";
    case service_state::continue_pending:
      return "continue pending";
    case service_state::pause_pending:
      return "pause pending";
    case service_state::paused:
      return "paused";
  }
  return "unknown";
}

std::string describe_service_wait_failure(service_state target, const service_wait_outcome& outcome) {
  const service_status_sample& s = outcome.last;
  const char* goal = service_state_text(target);
  switch (outcome.result) {
    case service_wait_result::reached:
      return fmt::format("the service is {}", goal);
    case service_wait_result::stopped:
      // ERROR_SERVICE_SPECIFIC_ERROR (1066): the service set its own code.
      if (s.win32_exit_code == 1066) {
        return fmt::format("the service stopped during start (service-specific exit code {})", s.service_exit_code);
      }
      return fmt::format("the service stopped during start (exit code {}); see the Windows event log (System)",
                         s.win32_exit_code);
    case service_wait_result::stalled:
      return fmt::format("the service stayed {} without progress for longer than its wait hint ({} ms)",
                         service_state_text(s.state), s.wait_hint_ms);
    case service_wait_result::timed_out:
      return fmt::format("the service did not become {} in time (last state: {})", goal, service_state_text(s.state));
  }
  return "unknown";
}

}  // namespace smharden::services::windows::win32
