// Reports built in the test for the report writers: one step of every status.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "report/run_report.hpp"

namespace smharden::test {

inline core::step_result make_step(const std::string& id, core::step_status status, const std::string& reason = {}) {
  core::step_result s;
  s.id = id;
  s.title = "Title of " + id;
  s.plugin_version = "1.0.0";
  s.severity = "high";
  s.status = status;
  s.reason = reason;
  return s;
}

/// A check run with one step of each of the eight statuses, in status order.
inline core::run_report every_status_report() {
  using core::step_status;
  core::run_report r;
  r.run_id = "20261203T072500Z-0001";
  r.mode = "check";
  r.started_at = "2026-12-03T07:25:00Z";
  r.finished_at = "2026-12-03T07:25:02Z";
  r.target = "lab:/tmp/lab";
  r.profile = "baseline";
  r.profile_chain = {"/etc/smharden/base.json", "/etc/smharden/baseline.json"};
  r.steps.push_back(make_step("ok-step", step_status::compliant));
  auto drift = make_step("drift-step", step_status::drift);
  drift.findings = nlohmann::json::array(
      {{{"id", "f1"}, {"severity", "high"}, {"title", "relay is open"}, {"current", "anyone"}, {"desired", "nobody"}},
       {{"id", "f2"},
        {"severity", "low"},
        {"title", "waived finding"},
        {"current", 1},
        {"desired", 2},
        {"waived", {{"reason", "vendor ticket"}, {"expires", "2027-01-01"}}}}});
  r.steps.push_back(drift);
  auto applied = make_step("applied-step", step_status::applied);
  applied.changes = nlohmann::json::array({{{"id", "c1"}, {"description", "relay closed"}}});
  r.steps.push_back(applied);
  r.steps.push_back(make_step("failed-step", step_status::failed, "verify found drift after apply"));
  r.steps.push_back(make_step("blocked-step", step_status::blocked, "not run: requires failed-step"));
  r.steps.push_back(make_step("skipped-step", step_status::skipped, "skipped by --skip"));
  r.steps.push_back(make_step("waived-step", step_status::waived));
  r.steps.push_back(make_step("error-step", step_status::error, "plugin not loaded"));
  r.exit_code = 3;
  return r;
}

}  // namespace smharden::test
