// The HTML report for people: one self-contained file, a row per step, findings
// with current -> desired, changes, waivers, the access matrix when the report has
// one, and every string from the target escaped.
#include <catch2/catch.hpp>

#include <string>

#include "hostile_text.hpp"
#include "html_text.hpp"
#include "report/report_writers.hpp"
#include "sample_report.hpp"

using smharden::core::render_html;
using smharden::test::count;
using smharden::test::element;
using smharden::test::every_status_report;
using smharden::test::hostile_markup;

TEST_CASE("html report: a row per step, in run order, with its status", "[report][html]") {
  const auto r = every_status_report();
  const std::string html = render_html(r);
  CHECK_THAT(html, Catch::StartsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
  CHECK(count(html, "<tr class=\"step ") == r.steps.size());
  std::size_t pos = 0;
  for (const auto& s : r.steps) {
    const std::string row = "data-step=\"" + s.id + "\" data-status=\"" + to_string(s.status) + "\"";
    const auto at = html.find(row, pos);
    INFO(row);
    REQUIRE(at != std::string::npos);
    pos = at;
  }
  CHECK(html.find("<td>verify found drift after apply") == std::string::npos);  // reasons are in their own div
  CHECK(html.find("<div class=\"reason\">verify found drift after apply</div>") != std::string::npos);
}

TEST_CASE("html report: findings show current -> desired, changes and waivers with their expiry", "[report][html]") {
  const std::string html = render_html(every_status_report());
  const std::string drift_row = element(html, "<tr class=\"step status-drift\"", "</tr>");
  CHECK(drift_row.find("relay is open") != std::string::npos);
  CHECK(drift_row.find("<span class=\"value\">anyone</span> &rarr; <span class=\"value\">nobody</span>") !=
        std::string::npos);
  CHECK(drift_row.find("waived until 2027-01-01: vendor ticket") != std::string::npos);
  const std::string applied_row = element(html, "<tr class=\"step status-applied\"", "</tr>");
  CHECK(applied_row.find("<li class=\"change\">relay closed</li>") != std::string::npos);

  const std::string waivers = element(html, "<section id=\"waivers\">", "</section>");
  CHECK(count(waivers, "<tr class=\"waiver-row\">") == 1);
  CHECK(waivers.find("<td>vendor ticket</td><td>2027-01-01</td>") != std::string::npos);
  CHECK(waivers.find("waived finding") != std::string::npos);

  auto clean = every_status_report();
  clean.steps.resize(1);
  CHECK(render_html(clean).find("No finding is waived.") != std::string::npos);
}

TEST_CASE("html report: summary by status and by severity, with charts", "[report][html]") {
  auto r = every_status_report();
  // A finding the run fixed (applied) is not open.
  r.steps[2].findings = nlohmann::json::array({{{"id", "fixed"}, {"severity", "high"}, {"title", "fixed"}}});
  const std::string html = render_html(r);
  const std::string status = element(html, "<table id=\"status-summary\">", "</table>");
  for (const char* s : {"compliant", "drift", "applied", "failed", "blocked", "skipped", "waived", "error"}) {
    INFO(s);
    CHECK(status.find(std::string("<span class=\"badge\">") + s + "</span></td><td class=\"num\">1</td>") !=
          std::string::npos);
  }
  const std::string severity = element(html, "<table id=\"severity-summary\">", "</table>");
  CHECK(severity.find("<tr data-severity=\"high\"><td><span class=\"sev sev-high\">high</span></td>"
                      "<td class=\"num\">1</td><td class=\"num\">0</td>") != std::string::npos);
  CHECK(severity.find("<tr data-severity=\"low\"><td><span class=\"sev sev-low\">low</span></td>"
                      "<td class=\"num\">0</td><td class=\"num\">1</td>") != std::string::npos);
  CHECK(count(html, "<svg class=\"chart\"") == 2);
  CHECK(html.find("<g class=\"bar\" data-label=\"drift\" data-value=\"1\">") != std::string::npos);
}

TEST_CASE("html report: self-contained, one inline style and script allowed by hash only", "[report][html]") {
  const std::string html = render_html(every_status_report());
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find(" src=") == std::string::npos);
  CHECK(html.find(" href=") == std::string::npos);
  CHECK(count(html, "<script>") == 1);
  CHECK(count(html, "<style>") == 1);
  CHECK(html.find("content=\"default-src 'none'; style-src 'sha256-") != std::string::npos);
  CHECK(html.find("'unsafe-inline'") == std::string::npos);
}

TEST_CASE("html report: hostile target text is escaped everywhere", "[report][html]") {
  auto r = every_status_report();
  r.profile = r.target = r.run_id = hostile_markup;
  r.profile_chain.push_back(hostile_markup);
  for (auto& s : r.steps) {
    s.id = s.title = s.reason = s.severity = hostile_markup;
    for (auto& f : s.findings) {
      for (const char* key : {"id", "title", "current", "desired", "severity", "remediation"}) f[key] = hostile_markup;
      if (f.contains("waived")) f["waived"] = {{"reason", hostile_markup}, {"expires", hostile_markup}};
    }
    for (auto& c : s.changes) c["description"] = hostile_markup;
  }
  r.notices.push_back(hostile_markup);
  r.overrides.push_back(hostile_markup);
  r.restarts.push_back({hostile_markup, hostile_markup, hostile_markup, hostile_markup});
  r.extra["health"] = {{"message", hostile_markup}};
  r.extra["access_matrix"] = {
      {"audiences", {hostile_markup}},
      {"surfaces", {hostile_markup}},
      {"cells",
       {{{"audience", hostile_markup}, {"surface", hostile_markup}, {"before", hostile_markup}, {"after", "yes"}}}}};
  const std::string html = render_html(r);
  CHECK(count(html, "<script") == 1);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("onerror=alert(2)>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;&#39;&amp;amp;"
                  "\\x00\\x1b[2J\\x7f\\u0085\\xff\t end") != std::string::npos);
  for (char c : html) {
    const auto b = static_cast<unsigned char>(c);
    INFO(static_cast<int>(b));
    CHECK(((b >= 0x20 && b != 0x7f) || c == '\n' || c == '\t' || c == '\r'));
  }
  CHECK(html.find("\xc2\x85") == std::string::npos);
  CHECK(html.find("data-before=\"unknown\" data-after=\"yes\"") != std::string::npos);
}

TEST_CASE("html report: the access matrix, when the report has one, fails closed on what it cannot read",
          "[report][html]") {
  auto r = every_status_report();
  CHECK(render_html(r).find("id=\"access-matrix\"") == std::string::npos);
  r.extra["access_matrix"] = {
      {"audiences", {"management", "webmail_users"}},
      {"surfaces", {"webmail", "admin"}},
      {"cells",
       {{{"audience", "management"}, {"surface", "webmail"}, {"before", "yes"}, {"after", "yes"}},
        {{"audience", "management"}, {"surface", "admin"}, {"before", "yes"}, {"after", "yes"}},
        {{"audience", "webmail_users"}, {"surface", "webmail"}, {"before", "yes"}, {"after", "maybe"}},
        {{"audience", "webmail_users"}, {"surface", "admin"}, {"before", "yes"}, {"after", "no"}}}}};
  r.extra["access_change_allowed"] = true;
  const std::string html = render_html(r);
  const std::string matrix = element(html, "<table id=\"access-matrix\"", "</table>");
  CHECK(count(matrix, "<tr class=\"audience\">") == 2);
  CHECK(matrix.find("<th scope=\"col\">webmail</th><th scope=\"col\">admin</th>") != std::string::npos);
  CHECK(matrix.find("<td class=\"reach reach-no changed\" data-before=\"yes\" data-after=\"no\">yes &rarr; no</td>") !=
        std::string::npos);
  CHECK(matrix.find("data-before=\"yes\" data-after=\"unknown\">yes &rarr; unknown</td>") != std::string::npos);
  CHECK(count(matrix, "class=\"reach reach-yes\"") == 2);
  CHECK(html.find("--allow-access-change") != std::string::npos);

  r.extra["access_matrix"]["cells"] = nlohmann::json::array();  // no cell known: every one unknown
  CHECK(count(render_html(r), "<td class=\"reach reach-unknown\"") == 4);
  r.extra["access_matrix"] = "garbage";
  CHECK(render_html(r).find("The access matrix in this report is not readable.") != std::string::npos);
}

TEST_CASE("html report: a report read back from its JSON renders the same", "[report][html]") {
  auto r = every_status_report();
  r.extra["access_matrix"] = {
      {"audiences", {"management"}}, {"surfaces", {"admin"}}, {"cells", nlohmann::json::array()}};
  r.extra["journal"] = "runs/x/journal.jsonl";
  const auto back = smharden::core::report_from_json(nlohmann::json::parse(smharden::core::to_json(r).dump()));
  CHECK(render_html(back) == render_html(r));
  CHECK(smharden::core::render_sarif(back) == smharden::core::render_sarif(r));
  CHECK(smharden::core::render_prometheus(back) == smharden::core::render_prometheus(r));
}

TEST_CASE("report files: the writer is chosen by the file's extension, whatever its case", "[report]") {
  using smharden::core::render_for_file;
  const auto r = every_status_report();
  CHECK(render_for_file(r, "out/Report.HTML") == render_html(r));
  CHECK(render_for_file(r, "report.htm") == render_html(r));
  CHECK(render_for_file(r, "C:\\reports\\run.Sarif") == smharden::core::render_sarif(r));
  CHECK(render_for_file(r, "r.JSON") == smharden::core::to_json(r).dump(2) + "\n");
  CHECK(render_for_file(r, "r.xml") == smharden::core::render_junit(r));
  CHECK(render_for_file(r, "r.txt") == smharden::core::render_text(r, false, true));
  CHECK(render_for_file(r, "r.prom") == smharden::core::render_text(r, false, true));  // metrics: --metrics only
}
