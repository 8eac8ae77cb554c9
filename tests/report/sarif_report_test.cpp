// The SARIF 2.1.0 report: one run of the tool smharden, rules for steps and
// findings, results for what the run left open (waived ones suppressed) and for
// steps that could not prove compliance. Schema validation is in sarif_schema_check.py.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "hostile_text.hpp"
#include "report/report_writers.hpp"
#include "sample_report.hpp"

using nlohmann::json;
using smharden::core::render_sarif;
using smharden::test::every_status_report;

namespace {

json results_for(const json& run, const std::string& rule_id) {
  json out = json::array();
  for (const auto& r : run["results"]) {
    if (r["ruleId"] == rule_id) out.push_back(r);
  }
  return out;
}

}  // namespace

TEST_CASE("sarif report: one run of smharden with a rule per step and per finding", "[report][sarif]") {
  const json log = json::parse(render_sarif(every_status_report()));
  CHECK(log["version"] == "2.1.0");
  CHECK(log["$schema"].get<std::string>().find("sarif-schema-2.1.0.json") != std::string::npos);
  REQUIRE(log["runs"].size() == 1);
  const json& run = log["runs"][0];
  CHECK(run["tool"]["driver"]["name"] == "smharden");
  CHECK(run["tool"]["driver"]["version"] == SMHARDEN_VERSION);
  std::vector<std::string> rule_ids;
  for (const auto& rule : run["tool"]["driver"]["rules"]) rule_ids.push_back(rule["id"]);
  CHECK(rule_ids == std::vector<std::string>{"ok-step", "drift-step", "drift-step/f1", "drift-step/f2", "applied-step",
                                             "failed-step", "blocked-step", "skipped-step", "waived-step",
                                             "error-step"});
  for (const auto& r : run["results"]) {
    INFO(r.dump());
    CHECK(run["tool"]["driver"]["rules"][r["ruleIndex"].get<std::size_t>()]["id"] == r["ruleId"]);
  }
  CHECK(run["invocations"][0]["executionSuccessful"] == false);  // error-step did not run
  CHECK(run["invocations"][0]["exitCode"] == 3);
  CHECK(run["invocations"][0]["startTimeUtc"] == "2026-12-03T07:25:00Z");
}

TEST_CASE("sarif report: open findings are results with a level from their severity, waived ones are suppressed",
          "[report][sarif]") {
  const json run = json::parse(render_sarif(every_status_report()))["runs"][0];
  const json open = results_for(run, "drift-step/f1");
  REQUIRE(open.size() == 1);
  CHECK(open[0]["level"] == "error");  // high
  CHECK(open[0]["kind"] == "fail");
  CHECK(open[0]["message"]["text"] == "relay is open: current anyone, desired nobody.");
  CHECK(open[0]["properties"]["current"] == "anyone");
  CHECK(open[0]["properties"]["desired"] == "nobody");
  CHECK(open[0]["locations"][0]["logicalLocations"][0]["name"] == "drift-step");
  CHECK_FALSE(open[0].contains("suppressions"));

  const json waived = results_for(run, "drift-step/f2");
  REQUIRE(waived.size() == 1);
  CHECK(waived[0]["level"] == "note");  // low
  CHECK(waived[0]["suppressions"] == json::parse(R"([{"kind": "external", "status": "accepted",
      "justification": "vendor ticket", "properties": {"expires": "2027-01-01"}}])"));

  // Steps that failed, were blocked or errored are results even without findings; the others are not.
  for (const char* step : {"failed-step", "blocked-step", "error-step"}) {
    const json r = results_for(run, step);
    INFO(step);
    REQUIRE(r.size() == 1);
    CHECK(r[0]["level"] == "error");
  }
  CHECK(results_for(run, "error-step")[0]["message"]["text"] == "step error-step error: plugin not loaded.");
  for (const char* step : {"ok-step", "applied-step", "skipped-step", "waived-step", "drift-step"}) {
    INFO(step);
    CHECK(results_for(run, step).empty());
  }
  CHECK(run["results"].size() == 5);
}

TEST_CASE("sarif report: severities map to levels, and findings fixed by an apply are not results", "[report][sarif]") {
  auto r = every_status_report();
  r.steps.resize(1);
  r.steps[0].status = smharden::core::step_status::drift;
  for (const char* sev : {"critical", "high", "medium", "low", "info", "unheard-of"}) {
    r.steps[0].findings.push_back({{"id", sev}, {"severity", sev}, {"title", sev}});
  }
  json run = json::parse(render_sarif(r))["runs"][0];
  std::map<std::string, std::string> levels;
  for (const auto& res : run["results"]) levels[res["properties"]["severity"]] = res["level"];
  CHECK(levels == std::map<std::string, std::string>{{"critical", "error"},
                                                     {"high", "error"},
                                                     {"medium", "warning"},
                                                     {"low", "note"},
                                                     {"info", "note"},
                                                     {"unheard-of", "warning"}});
  r.steps[0].status = smharden::core::step_status::applied;
  CHECK(json::parse(render_sarif(r))["runs"][0]["results"].empty());
}

TEST_CASE("sarif report: hostile text and invalid UTF-8 still give valid JSON", "[report][sarif]") {
  auto r = every_status_report();
  r.target = smharden::test::hostile_markup;
  r.steps[1].findings[0]["current"] = smharden::test::hostile_markup;
  const std::string text = render_sarif(r);
  const json log = json::parse(text);  // throws on invalid UTF-8
  const json open = results_for(log["runs"][0], "drift-step/f1");
  CHECK(open[0]["properties"]["current"].get<std::string>().find("<script>alert(1)</script>") == 0);
}
