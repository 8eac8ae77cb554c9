#include "run/supervisor.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "base/errors.hpp"
#include "report/report_writers.hpp"
#include "run/apply_driver.hpp"
#include "run/worker_output_pump.hpp"
#include "run/worker_process.hpp"

namespace smharden::core {
namespace {

using nlohmann::json;
using clock_type = worker_output_pump::clock;

/// How often the supervisor looks at the operator's stop requests while it waits.
constexpr auto signal_poll = std::chrono::milliseconds(100);

enum class ending { by_itself, timeout, stopped_at_once };

/// What the supervisor knows of the run from the worker's reports.
struct worker_state {
  json begin = json::object();
  std::string run_id;
  std::string run_dir;
  std::vector<step_result> steps;
  std::optional<run_report> report;
  std::optional<std::pair<int, std::string>> error;
  std::string step = "engine";
  std::string phase;
  bool in_call = false;
  int timeout_seconds = 0;
  clock_type::time_point deadline{};
};

void on_event(worker_state& st, const json& e, const supervisor_console& console) {
  const std::string t = e.value("t", "");
  if (t == "begin") {
    st.begin = e;
  } else if (t == "run") {
    st.run_id = e.value("run_id", "");
    st.run_dir = e.value("run_dir", "");
  } else if (t == "step_started") {
    if (console.progress.step_started) {
      console.progress.step_started(e.value("step", ""), e.value("index", std::size_t{0}),
                                    e.value("total", std::size_t{0}));
    }
  } else if (t == "progress") {
    if (console.progress.progress) {
      console.progress.progress(e.value("step", ""), e.value("done", 0u), e.value("total", 0u), e.value("label", ""));
    }
  } else if (t == "call") {
    st.step = e.value("step", "");
    st.phase = e.value("phase", "");
    st.timeout_seconds = e.value("timeout", 0);
    st.in_call = true;
    st.deadline = clock_type::now() + std::chrono::seconds(st.timeout_seconds);
  } else if (t == "call_done") {
    st.in_call = false;
  } else if (t == "step") {
    st.steps.push_back(step_from_json(e.at("result")));
  } else if (t == "report") {
    st.report = report_from_json(e.at("report"));
  } else if (t == "error") {
    st.error = std::make_pair(e.value("code", 1), e.value("message", std::string("the run could not start")));
  }
}

std::string what_happened(const worker_state& st, ending how, const worker_exit& ex) {
  const std::string where = st.in_call ? fmt::format("during {} of step {}", st.phase, st.step)
                                       : fmt::format("outside a plugin call (last step: {})", st.step);
  switch (how) {
    case ending::timeout:
      return fmt::format("{} of step {} did not return within its timeout of {} s: the worker running it was killed",
                         st.phase, st.step, st.timeout_seconds);
    case ending::stopped_at_once:
      return fmt::format("stopped at once by the operator {}: the worker running it was killed", where);
    case ending::by_itself:
      break;
  }
  return fmt::format("the worker process running the plugins {} {} without finishing the run", ex.describe(), where);
}

/// The report of a run whose worker ended without one.
run_report abandoned_report(const worker_state& st, bool apply, ending how, const worker_exit& ex) {
  run_report r;
  r.run_id = st.run_id;
  r.mode = apply ? "apply" : "check";
  r.target = st.begin.value("target", "");
  r.profile = st.begin.value("profile", "");
  for (const auto& f : st.begin.value("chain", json::array())) r.profile_chain.push_back(f.get<std::string>());
  r.steps = st.steps;
  const std::string what = what_happened(st, how, ex);
  if (st.in_call || how == ending::timeout) {
    step_result failed;
    failed.id = st.step;
    failed.status = apply && st.phase == "apply" ? step_status::failed : step_status::error;
    failed.reason = what;
    // A destroy runs after its step's result was reported: the step's entry says what happened.
    const auto same =
        std::find_if(r.steps.begin(), r.steps.end(), [&](const step_result& s) { return s.id == st.step; });
    if (same != r.steps.end()) {
      *same = std::move(failed);
    } else {
      r.steps.push_back(std::move(failed));
    }
  }
  r.notices.push_back(what);
  json worker = {{"step", st.step}, {"phase", st.in_call ? st.phase : ""}, {"what", what}};
  if (how == ending::timeout) worker["timeout_seconds"] = st.timeout_seconds;
  if (how == ending::stopped_at_once) worker["stopped_by"] = "operator";
  if (ex.exited) worker["exit_status"] = ex.code;
  if (ex.signal != 0) worker["signal"] = ex.signal;
  r.extra["worker"] = std::move(worker);
  r.exit_code = static_cast<int>(exit_code::apply_failed);
  return r;
}

}  // namespace

run_report supervise_run(run_context& ctx, const supervised_run& run, const supervisor_console& console) {
  worker_process worker(run.worker_args);
  worker.write_input(run.request + "\n");
  worker_state st;
  ending how = ending::by_itself;
  {
    worker_output_pump pump(worker);
    bool stop_sent = false;
    bool worker_gone = false;
    for (;;) {
      const int stops = console.stop_requests ? console.stop_requests() : 0;
      if (stops >= 1 && !stop_sent) stop_sent = worker.write_input("stop\n") || true;
      if (stops >= 2 && how == ending::by_itself) {
        how = ending::stopped_at_once;
        worker.kill();
      }
      clock_type::time_point until = clock_type::now() + signal_poll;
      if (st.in_call && how == ending::by_itself) {
        if (clock_type::now() >= st.deadline) {
          how = ending::timeout;
          worker.kill();
        } else {
          until = std::min(until, st.deadline);
        }
      }
      if (!worker_gone && worker.has_exited()) {
        // What the worker started goes with it; what escaped still holds the pipes: read what the
        // worker wrote, then stop.
        worker_gone = true;
        worker.kill();
        worker.stop_reading();
      }
      int stream = 0;
      std::string line;
      const auto got = pump.next(until, stream, line);
      if (got == worker_output_pump::wait_result::end) break;
      if (got != worker_output_pump::wait_result::line) continue;
      const json event = stream == 1 ? json::parse(line, nullptr, false) : json();
      if (stream == 1 && event.is_object() && event.contains("t")) {
        on_event(st, event, console);
      } else if (console.worker_output) {
        console.worker_output(line);
      }
    }
  }
  const worker_exit ex = worker.wait();
  if (how == ending::by_itself && st.report) return std::move(*st.report);
  if (how == ending::by_itself && st.error) throw error(static_cast<exit_code>(st.error->first), st.error->second);
  run_report report = abandoned_report(st, run.apply, how, ex);
  ctx.log.write(SMH_LOG_ERROR, fmt::format("run {}: {}", st.run_id, report.notices.back()));
  if (run.apply && !st.run_dir.empty()) {
    finish_abandoned_apply(ctx, st.run_dir, run.no_auto_rollback, how == ending::stopped_at_once, report);
  }
  return report;
}

}  // namespace smharden::core
