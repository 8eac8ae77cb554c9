// The fleet report ("smharden.fleet-report/1") built from run reports: each host's report kept as
// written, a host's status, the summary across hosts, and run reports of the wrong shape refused
// with the file and the JSON pointer.
#include <catch2/catch.hpp>

#include <pugixml.hpp>

#include "base/errors.hpp"
#include "report/fleet_report.hpp"
#include "report/report_writers.hpp"
#include "sample_report.hpp"

using smharden::core::fleet_host;
using smharden::core::host_status;
using smharden::core::merge_fleet;
using smharden::core::step_status;
using smharden::test::make_step;
using oj = nlohmann::ordered_json;

namespace {

fleet_host host(const std::string& name, std::vector<smharden::core::step_result> steps, int exit_code) {
  smharden::core::run_report r = smharden::test::every_status_report();
  r.steps = std::move(steps);
  r.exit_code = exit_code;
  r.target = "lab:/labs/" + name;
  return {name, "/reports/" + name + ".json", smharden::core::to_json(r)};
}

std::string shape_error(const oj& report) {
  try {
    smharden::core::check_run_report_shape(report, "in.json");
  } catch (const smharden::core::runtime_error& e) {
    return e.what();
  }
  return "accepted";
}

}  // namespace

TEST_CASE("fleet report: a host's status is its worst step, raised by a failed run's exit code", "[report][fleet]") {
  CHECK(host_status(host("a", {make_step("x", step_status::compliant)}, 0).report) == "compliant");
  CHECK(
      host_status(host("a", {make_step("x", step_status::compliant), make_step("y", step_status::drift)}, 3).report) ==
      "drift");
  CHECK(host_status(host("a", {make_step("x", step_status::applied), make_step("y", step_status::error)}, 4).report) ==
        "error");
  // An apply whose steps all applied but whose restart failed (exit 4) is a failed host.
  CHECK(host_status(host("a", {make_step("x", step_status::applied)}, 4).report) == "failed");
  CHECK(host_status(host("a", {make_step("x", step_status::compliant)}, 1).report) == "error");
  // Nothing checked proves nothing.
  CHECK(host_status(host("a", {}, 0).report) == "skipped");
  CHECK(host_status(host("a", {make_step("x", step_status::skipped)}, 0).report) == "skipped");
}

TEST_CASE("fleet report: hosts keep their reports as written, the summary counts across hosts", "[report][fleet]") {
  auto drift = make_step("relay", step_status::drift);
  drift.findings = nlohmann::json::array({{{"id", "open"}, {"severity", "critical"}, {"title", "open relay"}},
                                          {{"id", "w"}, {"severity", "low"}, {"waived", {{"reason", "r"}}}}});
  auto applied = make_step("relay", step_status::applied);
  applied.findings = nlohmann::json::array({{{"id", "open"}, {"severity", "critical"}, {"title", "open relay"}}});
  auto medium = make_step("ext", step_status::compliant);
  medium.severity = "medium";
  std::vector<fleet_host> hosts = {host("web01", {drift, medium}, 3), host("web02", {applied, medium}, 0),
                                   host("web03", {make_step("relay", step_status::error)}, 1)};
  hosts[1].report["access_matrix"] = {{"cells", oj::array()}};  // keys the merge does not know are kept
  const oj fleet = merge_fleet(hosts, "2026-12-03T10:00:00Z");

  CHECK(fleet["schema"] == "smharden.fleet-report/1");
  CHECK(fleet["kind"] == "fleet");
  CHECK(fleet["generated_at"] == "2026-12-03T10:00:00Z");
  CHECK(fleet["statuses"].front() == "error");
  REQUIRE(fleet["hosts"].size() == 3);
  CHECK(fleet["hosts"][0]["host"] == "web01");
  CHECK(fleet["hosts"][0]["source"] == "/reports/web01.json");
  CHECK(fleet["hosts"][0]["status"] == "drift");
  CHECK(fleet["hosts"][1]["status"] == "applied");
  CHECK(fleet["hosts"][2]["status"] == "error");
  CHECK(fleet["hosts"][1]["report"] == hosts[1].report);
  CHECK(fleet["hosts"][1]["report"].contains("access_matrix"));

  const oj& s = fleet["summary"];
  CHECK(s["hosts"] == 3);
  CHECK(s["hosts_by_status"]["drift"] == 1);
  CHECK(s["hosts_by_status"]["applied"] == 1);
  CHECK(s["hosts_by_status"]["error"] == 1);
  CHECK(s["hosts_by_status"]["compliant"] == 0);
  CHECK(s["hosts_by_status"].size() == 8);
  CHECK(s["steps_by_status"]["compliant"] == 2);
  CHECK(s["steps_by_status"]["drift"] == 1);
  CHECK(s["steps_by_severity"]["high"]["drift"] == 1);
  CHECK(s["steps_by_severity"]["high"]["error"] == 1);
  CHECK(s["steps_by_severity"]["medium"]["compliant"] == 2);
  // Open findings: web01's critical one; the waived one and the one web02's apply fixed are not open.
  CHECK(s["open_findings_by_severity"]["critical"] == 1);
  CHECK(s["open_findings_by_severity"].value("low", 0) == 0);
  std::vector<std::string> severities;
  for (const auto& [k, v] : s["steps_by_severity"].items()) severities.push_back(k);
  CHECK(severities == std::vector<std::string>{"high", "medium"});

  REQUIRE(s["by_step"].size() == 2);
  const oj& relay = s["by_step"][0];
  CHECK(relay["id"] == "relay");
  CHECK(relay["title"] == "Title of relay");
  CHECK(relay["counts"]["drift"] == 1);
  CHECK(relay["counts"]["applied"] == 1);
  CHECK(relay["counts"]["error"] == 1);
  CHECK(relay["hosts"]["drift"] == oj({"web01"}));
  CHECK(relay["hosts"]["error"] == oj({"web03"}));
  CHECK(s["by_step"][1]["hosts"].empty());  // compliant everywhere: no host to name

  const std::string text = smharden::core::render_fleet_text(fleet);
  CHECK_THAT(text, Catch::Contains("3 host(s): 1 error, 1 drift, 1 applied"));
  CHECK_THAT(text, Catch::Contains("web03"));
}

TEST_CASE("fleet report: two reports of one host name are refused, naming both files", "[report][fleet]") {
  const auto a = host("web01", {make_step("x", step_status::compliant)}, 0);
  auto b = a;
  b.source = "/other/web01.json";
  try {
    merge_fleet({a, b}, "t");
    FAIL("merged");
  } catch (const smharden::core::usage_error& e) {
    CHECK_THAT(e.what(), Catch::Contains("/reports/web01.json") && Catch::Contains("/other/web01.json") &&
                             Catch::Contains("\"web01\""));
  }
}

TEST_CASE("fleet report: a run report of the wrong shape is refused with the JSON pointer", "[report][fleet]") {
  const oj good = host("a", {make_step("x", step_status::drift)}, 3).report;
  CHECK(shape_error(good) == "accepted");
  CHECK_THAT(shape_error(oj::array()), Catch::StartsWith("in.json: /: expected a smharden run report"));
  oj r = good;
  r["schema"] = "other/1";
  CHECK_THAT(shape_error(r), Catch::StartsWith("in.json: /schema: expected \"smharden.report/1\", found \"other/1\""));
  r = good;
  r["schema"] = "smharden.fleet-report/1";
  CHECK_THAT(shape_error(r), Catch::Contains("found a fleet report"));
  r = good;
  r.erase("steps");
  CHECK_THAT(shape_error(r), Catch::StartsWith("in.json: /steps: expected an array"));
  r = good;
  r["steps"][0]["status"] = "fine";
  CHECK_THAT(shape_error(r), Catch::StartsWith("in.json: /steps/0/status: expected one of error,") &&
                                 Catch::Contains("found \"fine\""));
  r = good;
  r["steps"][0].erase("id");
  CHECK_THAT(shape_error(r), Catch::StartsWith("in.json: /steps/0/id: expected a string"));
  r = good;
  r["steps"][0]["findings"] = oj::array({oj::array()});
  CHECK_THAT(shape_error(r), Catch::StartsWith("in.json: /steps/0/findings/0: expected an object, found an array"));
  r = good;
  r["exit_code"] = "3";
  CHECK_THAT(shape_error(r), Catch::StartsWith("in.json: /exit_code: expected an integer"));
}

TEST_CASE("fleet report: JUnit XML has a testsuite per host, named after it", "[report][fleet]") {
  auto drift = make_step("relay", step_status::drift);
  drift.findings = nlohmann::json::array({{{"id", "open"}, {"severity", "high"}, {"title", "open <relay>"}}});
  const oj fleet = merge_fleet({host("web01", {make_step("relay", step_status::compliant)}, 0),
                                host("web&02", {drift, make_step("ids", step_status::error, "unreadable")}, 1)},
                               "t");
  pugi::xml_document doc;
  REQUIRE(doc.load_string(smharden::core::render_fleet_junit(fleet).c_str()));
  std::vector<pugi::xml_node> suites;
  for (auto s : doc.child("testsuites").children("testsuite")) suites.push_back(s);
  REQUIRE(suites.size() == 2);
  CHECK(std::string(suites[0].attribute("name").value()) == "web01: smharden check baseline");
  CHECK(suites[0].attribute("failures").as_int() == 0);
  CHECK(std::string(suites[1].attribute("name").value()) == "web&02: smharden check baseline");
  CHECK(suites[1].attribute("tests").as_int() == 2);
  CHECK(suites[1].attribute("failures").as_int() == 1);
  CHECK(suites[1].attribute("errors").as_int() == 1);
  CHECK_THAT(suites[1].child("testcase").child("failure").text().get(), Catch::Contains("open <relay>"));
}
