// The JUnit XML report for CI dashboards: well-formed XML whatever the text
// holds, one testcase per step, failures, errors and skips where CI expects them.
#include <catch2/catch.hpp>

#include <pugixml.hpp>
#include <string>

#include "report/report_writers.hpp"
#include "sample_report.hpp"

using smharden::core::render_junit;
using smharden::core::step_status;
using smharden::test::every_status_report;

namespace {

pugi::xml_node case_named(const pugi::xml_node& suite, const std::string& name) {
  return suite.find_child_by_attribute("testcase", "name", name.c_str());
}

}  // namespace

TEST_CASE("junit report: one suite, one testcase per step, counts by status", "[report][junit]") {
  const std::string xml = render_junit(every_status_report());
  CHECK_THAT(xml, Catch::StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>"));
  pugi::xml_document doc;
  REQUIRE(doc.load_string(xml.c_str()));
  const auto suite = doc.child("testsuites").child("testsuite");
  REQUIRE(suite);
  CHECK(std::string(suite.attribute("name").value()) == "smharden check baseline");
  CHECK(suite.attribute("tests").as_int() == 8);
  CHECK(suite.attribute("failures").as_int() == 3);  // drift, failed, blocked
  CHECK(suite.attribute("errors").as_int() == 1);
  CHECK(suite.attribute("skipped").as_int() == 1);
  CHECK(std::string(suite.attribute("timestamp").value()) == "2026-12-03T07:25:00Z");
  CHECK(std::distance(suite.children("testcase").begin(), suite.children("testcase").end()) == 8);
  for (const auto& tc : suite.children("testcase")) {
    CHECK(std::string(tc.attribute("classname").value()) == "smharden.baseline");
  }
}

TEST_CASE("junit report: what each status puts inside its testcase", "[report][junit]") {
  auto r = every_status_report();
  r.steps[0].duration_ms = 1234;
  const std::string xml = render_junit(r);
  pugi::xml_document doc;
  REQUIRE(doc.load_string(xml.c_str()));
  const auto suite = doc.child("testsuites").child("testsuite");

  for (const char* passing : {"ok-step", "applied-step", "waived-step"}) {
    INFO(passing);
    const auto tc = case_named(suite, passing);
    REQUIRE(tc);
    CHECK_FALSE(tc.first_child());
  }
  CHECK(std::string(case_named(suite, "ok-step").attribute("time").value()) == "1.234");

  const auto drift = case_named(suite, "drift-step").child("failure");
  REQUIRE(drift);
  CHECK(std::string(drift.attribute("message").value()) == "drift");
  const std::string detail = drift.text().get();
  CHECK(detail == "[high] relay is open: current \"anyone\" desired \"nobody\"\n");  // the waived finding is left out

  const auto failed = case_named(suite, "failed-step").child("failure");
  REQUIRE(failed);
  CHECK(std::string(failed.attribute("message").value()) == "failed: verify found drift after apply");
  CHECK(std::string(case_named(suite, "blocked-step").child("failure").attribute("message").value()) ==
        "blocked: not run: requires failed-step");
  CHECK(std::string(case_named(suite, "error-step").child("error").attribute("message").value()) ==
        "plugin not loaded");
  CHECK(std::string(case_named(suite, "skipped-step").child("skipped").attribute("message").value()) ==
        "skipped by --skip");
}

TEST_CASE("junit report: XML special characters are escaped and read back unchanged", "[report][junit]") {
  const std::string nasty = R"(a<b & c>"d" 'e')";
  smharden::core::run_report r;
  r.mode = "check";
  r.profile = nasty;
  r.started_at = "2026-12-03T07:25:00Z";
  auto s = smharden::test::make_step("x<&>\"y", step_status::drift, nasty);
  s.findings = nlohmann::json::array(
      {{{"severity", "high"}, {"title", "<script>&amp;"}, {"current", "</failure>"}, {"desired", "\"quoted\""}}});
  r.steps.push_back(s);
  r.steps.push_back(smharden::test::make_step("err", step_status::error, "<error/>&"));
  r.steps.push_back(smharden::test::make_step("skip", step_status::skipped, "\"skip\" <now>"));
  const std::string xml = render_junit(r);

  CHECK(xml.find("a&lt;b &amp; c&gt;&quot;d&quot;") != std::string::npos);
  CHECK(xml.find("<script>") == std::string::npos);
  CHECK(xml.find("</failure>\"") == std::string::npos);
  pugi::xml_document doc;
  const auto parsed = doc.load_string(xml.c_str());
  INFO(xml);
  REQUIRE(parsed);
  const auto suite = doc.child("testsuites").child("testsuite");
  CHECK(std::string(suite.attribute("name").value()) == "smharden check " + nasty);
  const auto tc = suite.child("testcase");
  CHECK(std::string(tc.attribute("name").value()) == "x<&>\"y");
  CHECK(std::string(tc.attribute("classname").value()) == "smharden." + nasty);
  CHECK(std::string(tc.child("failure").attribute("message").value()) == "drift: " + nasty);
  CHECK(std::string(tc.child("failure").text().get()) ==
        "[high] <script>&amp;: current \"</failure>\" desired \"\\\"quoted\\\"\"\n");
  CHECK(std::string(case_named(suite, "err").child("error").attribute("message").value()) == "<error/>&");
  CHECK(std::string(case_named(suite, "skip").child("skipped").attribute("message").value()) == "\"skip\" <now>");
}
