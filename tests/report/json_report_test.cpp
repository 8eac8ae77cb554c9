// The JSON report ("smharden.report/1"): its keys, their order, statuses and
// the summary, as scripts and Ansible read them.
#include <catch2/catch.hpp>

#include "report/report_writers.hpp"
#include "sample_report.hpp"

using smharden::core::report_schema_id;
using smharden::core::step_status;
using smharden::core::to_json;
using smharden::test::every_status_report;

TEST_CASE("json report: the top-level keys in their documented order", "[report][json]") {
  const auto j = to_json(every_status_report());
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  const std::vector<std::string> expected = {"schema",    "run_id",  "mode",     "started_at", "finished_at",
                                             "target",    "profile", "steps",    "restarts",   "notices",
                                             "overrides", "summary", "exit_code"};
  CHECK(keys == expected);
  CHECK(j["schema"] == report_schema_id);
  CHECK(std::string(report_schema_id) == "smharden.report/1");
  CHECK(j["run_id"] == "20261203T072500Z-0001");
  CHECK(j["mode"] == "check");
  CHECK(j["target"] == "lab:/tmp/lab");
  CHECK(j["profile"]["name"] == "baseline");
  CHECK(j["profile"]["chain"] == nlohmann::json({"/etc/smharden/base.json", "/etc/smharden/baseline.json"}));
  CHECK(j["exit_code"] == 3);
}

TEST_CASE("json report: every status is spelled as documented, steps keep their order", "[report][json]") {
  const auto j = to_json(every_status_report());
  const std::vector<std::string> statuses = {"compliant", "drift",   "applied", "failed",
                                             "blocked",   "skipped", "waived",  "error"};
  REQUIRE(j["steps"].size() == statuses.size());
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    INFO(i);
    CHECK(j["steps"][i]["status"] == statuses[i]);
  }
  const auto& drift = j["steps"][1];
  CHECK(drift["id"] == "drift-step");
  CHECK(drift["title"] == "Title of drift-step");
  CHECK(drift["plugin_version"] == "1.0.0");
  CHECK(drift["severity"] == "high");
  CHECK(drift["findings"].size() == 2);
  CHECK(drift["findings"][1]["waived"]["reason"] == "vendor ticket");
  CHECK(j["steps"][2]["changes"][0]["description"] == "relay closed");
  CHECK(j["steps"][7]["reason"] == "plugin not loaded");
  CHECK(j["steps"][0]["duration_ms"] == 0);
}

TEST_CASE("json report: the summary counts every status, zeros included", "[report][json]") {
  auto r = every_status_report();
  r.steps.push_back(smharden::test::make_step("second-drift", step_status::drift));
  const auto summary = to_json(r)["summary"];
  CHECK(summary.size() == 8);
  CHECK(summary["drift"] == 2);
  for (const char* s : {"compliant", "applied", "failed", "blocked", "skipped", "waived", "error"}) {
    INFO(s);
    CHECK(summary[s] == 1);
  }
  smharden::core::run_report empty;
  const auto empty_summary = to_json(empty)["summary"];  // a named copy: the loop must not outlive a temporary
  for (const auto& [k, v] : empty_summary.items()) CHECK(v == 0);
}

TEST_CASE("json report: os_access only when declared, restarts, notices, overrides and extra", "[report][json]") {
  auto r = every_status_report();
  r.steps[0].os_access = true;
  r.restarts.push_back({"service", "SmarterMail", "done", ""});
  r.notices.push_back("waiver w1 expired on 2026-01-01");
  r.overrides.push_back("--allow-lockout-risk");
  r.extra = {{"journal", {{"records", 12}}}, {"rollback", {{"automatic", true}}}};
  const auto j = to_json(r);
  CHECK(j["steps"][0]["os_access"] == true);
  CHECK_FALSE(j["steps"][1].contains("os_access"));
  CHECK(nlohmann::json::parse(j["restarts"].dump()) ==
        nlohmann::json::array({{{"kind", "service"}, {"name", "SmarterMail"}, {"status", "done"}, {"message", ""}}}));
  CHECK(j["notices"][0] == "waiver w1 expired on 2026-01-01");
  CHECK(j["overrides"][0] == "--allow-lockout-risk");
  CHECK(j["journal"]["records"] == 12);
  CHECK(j["rollback"]["automatic"] == true);
  CHECK(j.items().begin().key() == "schema");
  std::string last;
  for (const auto& [k, v] : j.items()) last = k;
  CHECK(last == "exit_code");  // extra keys come before it
}
