// Waiting for a Windows service to reach a state after StartService or
// ControlService(STOP), the way Microsoft's service samples do: poll
// QueryServiceStatusEx, pace by dwWaitHint, accept a stalled checkpoint only
// for dwWaitHint, and give up at an overall deadline. Pure logic over injected
// query/sleep/clock functions, so it is unit-tested without Windows or time.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "services/windows/windows_types.hpp"

namespace smharden::services::windows::win32 {

/// One QueryServiceStatusEx(SC_STATUS_PROCESS_INFO) reading.
struct service_status_sample {
  service_state state = service_state::stopped;
  std::uint32_t checkpoint = 0;         ///< dwCheckPoint: grows while a pending operation progresses
  std::uint32_t wait_hint_ms = 0;       ///< dwWaitHint
  std::uint32_t win32_exit_code = 0;    ///< dwWin32ExitCode (why a start failed)
  std::uint32_t service_exit_code = 0;  ///< dwServiceSpecificExitCode (when win32_exit_code is 1066)
};

struct service_wait_limits {
  std::uint64_t overall_timeout_ms = 120'000;  ///< never wait longer than this in total
  std::uint32_t min_poll_ms = 100;
  std::uint32_t max_poll_ms = 1'000;
  /// Used as dwWaitHint when the service reports none.
  std::uint32_t default_wait_hint_ms = 30'000;
};

enum class service_wait_result {
  reached,    ///< the target state was reported
  stopped,    ///< waiting for running, the service stopped instead (start failed)
  stalled,    ///< a pending state made no progress (same checkpoint) for longer than dwWaitHint
  timed_out,  ///< the overall deadline passed
};

struct service_wait_outcome {
  service_wait_result result = service_wait_result::reached;
  service_status_sample last;  ///< the last reading
  std::uint32_t polls = 0;
};

struct service_wait_io {
  std::function<service_status_sample()> query;  ///< QueryServiceStatusEx; may throw
  std::function<void(std::uint32_t ms)> sleep;   ///< Sleep
  std::function<std::uint64_t()> now_ms;         ///< a monotonic clock (GetTickCount64)
};

/// Polls until `target` (service_state::running or ::stopped) is reported.
service_wait_outcome wait_for_service_state(service_state target, const service_wait_io& io,
                                            const service_wait_limits& limits = {});

/// Milliseconds to sleep before the next poll: a tenth of the wait hint, clamped.
std::uint32_t service_poll_interval(std::uint32_t wait_hint_ms, const service_wait_limits& limits);

/// "running", "stopped", "start pending", ...
const char* service_state_text(service_state state);

/// Why a wait ended without reaching the state, for an error message
/// ("the service stopped during start (exit code 1069)", ...).
std::string describe_service_wait_failure(service_state target, const service_wait_outcome& outcome);

}  // namespace smharden::services::windows::win32
