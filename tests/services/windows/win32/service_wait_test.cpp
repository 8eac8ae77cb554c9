#include "services/windows/win32/service_wait.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

using namespace smharden::services::windows;
using namespace smharden::services::windows::win32;

namespace {

// A scripted service: each query returns the next sample (the last one
// repeats); sleeping advances a fake clock, so no test depends on real time.
struct fake_service {
  fake_service() = default;
  explicit fake_service(std::vector<service_status_sample> script) : samples(std::move(script)) {}

  std::vector<service_status_sample> samples;
  std::size_t next = 0;
  std::uint64_t clock_ms = 0;
  std::vector<std::uint32_t> sleeps;

  service_wait_io io() {
    service_wait_io io;
    io.query = [this] {
      const auto& s = samples[std::min(next, samples.size() - 1)];
      ++next;
      return s;
    };
    io.sleep = [this](std::uint32_t ms) {
      sleeps.push_back(ms);
      clock_ms += ms;
    };
    io.now_ms = [this] { return clock_ms; };
    return io;
  }
};

service_status_sample sample(service_state state, std::uint32_t checkpoint = 0, std::uint32_t hint = 0) {
  service_status_sample s;
  s.state = state;
  s.checkpoint = checkpoint;
  s.wait_hint_ms = hint;
  return s;
}

}  // namespace

TEST_CASE("a service already in the target state needs one query and no sleep") {
  fake_service svc({sample(service_state::running)});
  const auto out = wait_for_service_state(service_state::running, svc.io());
  CHECK(out.result == service_wait_result::reached);
  CHECK(out.polls == 1);
  CHECK(svc.sleeps.empty());
}

TEST_CASE("start pending with a growing checkpoint is followed until running") {
  fake_service svc({sample(service_state::start_pending, 1, 2000), sample(service_state::start_pending, 2, 2000),
                    sample(service_state::start_pending, 3, 2000), sample(service_state::running)});
  const auto out = wait_for_service_state(service_state::running, svc.io());
  CHECK(out.result == service_wait_result::reached);
  CHECK(out.polls == 4);
  // A tenth of the 2 s wait hint between polls.
  CHECK(svc.sleeps == std::vector<std::uint32_t>{200, 200, 200});
}

TEST_CASE("the poll interval is a tenth of the wait hint, clamped") {
  const service_wait_limits limits;
  CHECK(service_poll_interval(0, limits) == limits.min_poll_ms);
  CHECK(service_poll_interval(500, limits) == limits.min_poll_ms);
  CHECK(service_poll_interval(5000, limits) == 500);
  CHECK(service_poll_interval(600000, limits) == limits.max_poll_ms);
}

TEST_CASE("a start that ends in stopped reports the exit code") {
  service_status_sample failed = sample(service_state::stopped);
  failed.win32_exit_code = 1069;
  fake_service svc({sample(service_state::start_pending, 1, 1000), failed});
  const auto out = wait_for_service_state(service_state::running, svc.io());
  REQUIRE(out.result == service_wait_result::stopped);
  CHECK(out.last.win32_exit_code == 1069);
  CHECK(describe_service_wait_failure(service_state::running, out) ==
        "the service stopped during start (exit code 1069); see the Windows event log (System)");
}

TEST_CASE("a service-specific exit code is reported as such") {
  service_status_sample failed = sample(service_state::stopped);
  failed.win32_exit_code = 1066;  // ERROR_SERVICE_SPECIFIC_ERROR
  failed.service_exit_code = 42;
  fake_service svc({failed});
  const auto out = wait_for_service_state(service_state::running, svc.io());
  CHECK(describe_service_wait_failure(service_state::running, out) ==
        "the service stopped during start (service-specific exit code 42)");
}

TEST_CASE("stopped is the goal of a stop, not a failure") {
  fake_service svc({sample(service_state::stop_pending, 1, 3000), sample(service_state::stopped)});
  CHECK(wait_for_service_state(service_state::stopped, svc.io()).result == service_wait_result::reached);
}

TEST_CASE("a pending state whose checkpoint does not move for longer than the wait hint has stalled") {
  fake_service svc({sample(service_state::stop_pending, 7, 1000)});
  const auto out = wait_for_service_state(service_state::stopped, svc.io());
  CHECK(out.result == service_wait_result::stalled);
  CHECK(svc.clock_ms > 1000);
  CHECK(svc.clock_ms <= 1000 + service_poll_interval(1000, {}));
  CHECK(describe_service_wait_failure(service_state::stopped, out) ==
        "the service stayed stop pending without progress for longer than its wait hint (1000 ms)");
}

TEST_CASE("progress keeps the wait going until the overall deadline") {
  fake_service svc;
  // Always start pending, but the checkpoint advances on every query.
  for (std::uint32_t i = 1; i < 10000; ++i) svc.samples.push_back(sample(service_state::start_pending, i, 5000));
  service_wait_limits limits;
  limits.overall_timeout_ms = 20'000;
  const auto out = wait_for_service_state(service_state::running, svc.io(), limits);
  CHECK(out.result == service_wait_result::timed_out);
  CHECK(svc.clock_ms >= 20'000);
  CHECK(svc.clock_ms < 20'000 + limits.max_poll_ms);
  CHECK(describe_service_wait_failure(service_state::running, out) ==
        "the service did not become running in time (last state: start pending)");
}

TEST_CASE("a missing wait hint falls back to the default") {
  fake_service svc({sample(service_state::stop_pending, 1, 0)});
  service_wait_limits limits;
  limits.default_wait_hint_ms = 3000;
  const auto out = wait_for_service_state(service_state::stopped, svc.io(), limits);
  CHECK(out.result == service_wait_result::stalled);
  CHECK(svc.clock_ms > 3000);
}

TEST_CASE("a failing status query propagates") {
  service_wait_io io;
  io.query = []() -> service_status_sample { throw std::runtime_error("QueryServiceStatusEx failed"); };
  io.sleep = [](std::uint32_t) {};
  io.now_ms = [] { return std::uint64_t{0}; };
  CHECK_THROWS_WITH(wait_for_service_state(service_state::running, io), "QueryServiceStatusEx failed");
}
