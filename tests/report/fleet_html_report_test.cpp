// The fleet report as one HTML page: a row per host and per step across hosts, the summary with
// charts, nothing loaded from anywhere, and every host name and report string escaped.
#include <catch2/catch.hpp>

#include <string>

#include "hostile_text.hpp"
#include "html_text.hpp"
#include "report/fleet_report.hpp"
#include "report/report_writers.hpp"
#include "sample_report.hpp"

using smharden::core::fleet_host;
using smharden::core::merge_fleet;
using smharden::core::render_fleet_html;
using smharden::core::step_status;
using smharden::test::count;
using smharden::test::element;
using smharden::test::hostile_markup;
using smharden::test::make_step;

namespace {

fleet_host host(const std::string& name, std::vector<smharden::core::step_result> steps, int exit_code) {
  smharden::core::run_report r = smharden::test::every_status_report();
  r.steps = std::move(steps);
  r.exit_code = exit_code;
  r.target = "lab:/labs/" + name;
  return {name, "/reports/" + name + ".json", smharden::core::to_json(r)};
}

std::vector<fleet_host> three_hosts() {
  auto drift = make_step("relay", step_status::drift, "relay open to the world");
  drift.findings = nlohmann::json::array({{{"id", "open"}, {"severity", "critical"}, {"title", "open relay"}}});
  return {host("web01", {make_step("relay", step_status::compliant), make_step("tls", step_status::compliant)}, 0),
          host("web02", {drift, make_step("tls", step_status::compliant)}, 3),
          host("web03", {make_step("relay", step_status::compliant), make_step("tls", step_status::error, "no plugin")},
               1)};
}

}  // namespace

TEST_CASE("fleet html: a row per host with its status, counts and the steps that need attention",
          "[report][fleet][html]") {
  const std::string html = render_fleet_html(merge_fleet(three_hosts(), "2026-12-03T10:00:00Z"));
  const std::string hosts = element(html, "<table id=\"hosts-table\">", "</table>");
  CHECK(count(hosts, "<tr class=\"host ") == 3);
  CHECK(hosts.find("data-host=\"web01\" data-status=\"compliant\"") < hosts.find("data-host=\"web02\""));
  CHECK_THAT(hosts, Catch::Contains("data-host=\"web02\" data-status=\"drift\""));
  CHECK_THAT(hosts, Catch::Contains("data-host=\"web03\" data-status=\"error\""));
  const std::string web02 = element(hosts, "data-host=\"web02\"", "</tr>");
  CHECK_THAT(web02, Catch::Contains("1 drift") && Catch::Contains("1 compliant"));
  CHECK_THAT(web02, Catch::Contains("data-step=\"relay\"") && Catch::Contains("relay open to the world") &&
                        Catch::Contains("open relay"));
  CHECK(web02.find("data-step=\"tls\"") == std::string::npos);  // compliant: needs no attention
  const std::string web03 = element(hosts, "data-host=\"web03\"", "</tr>");
  CHECK_THAT(web03, Catch::Contains("data-step=\"tls\"") && Catch::Contains("no plugin"));
  CHECK(element(hosts, "data-host=\"web01\"", "</tr>").find("data-step=") == std::string::npos);
}

TEST_CASE("fleet html: a row per step across hosts names the hosts where it is not compliant",
          "[report][fleet][html]") {
  const std::string html = render_fleet_html(merge_fleet(three_hosts(), "2026-12-03T10:00:00Z"));
  const std::string steps = element(html, "<table id=\"fleet-steps-table\">", "</table>");
  CHECK(count(steps, "<tr class=\"fleet-step\"") == 2);
  const std::string relay = element(steps, "data-step=\"relay\"", "</tr>");
  CHECK_THAT(relay, Catch::Contains("2 compliant") && Catch::Contains("1 drift"));
  CHECK_THAT(relay, Catch::Contains("<span class=\"badge\">drift</span> <code>web02</code>"));
  CHECK(relay.find("web01") == std::string::npos);
  const std::string tls = element(steps, "data-step=\"tls\"", "</tr>");
  CHECK_THAT(tls, Catch::Contains("<span class=\"badge\">error</span> <code>web03</code>"));
}

TEST_CASE("fleet html: the summary counts hosts and steps by status and findings by severity, with charts",
          "[report][fleet][html]") {
  const std::string html = render_fleet_html(merge_fleet(three_hosts(), "2026-12-03T10:00:00Z"));
  const std::string summary = element(html, "<section id=\"summary\">", "</section>");
  CHECK(count(summary, "<svg") == 3);
  CHECK_THAT(element(summary, "<table id=\"hosts-summary\">", "</table>"),
             Catch::Contains("<span class=\"badge\">drift</span></td><td class=\"num\">1</td>") &&
                 Catch::Contains("<span class=\"badge\">compliant</span></td><td class=\"num\">1</td>"));
  CHECK_THAT(element(summary, "<table id=\"status-summary\">", "</table>"),
             Catch::Contains("<span class=\"badge\">compliant</span></td><td class=\"num\">4</td>"));
  CHECK_THAT(element(summary, "<table id=\"severity-summary\">", "</table>"),
             Catch::Contains("critical</span></td><td class=\"num\">1</td>"));
  CHECK_THAT(html, Catch::Contains("<dd id=\"host-count\">3</dd>"));
}

TEST_CASE("fleet html: self-contained, the single-run page's style and script allowed by hash only",
          "[report][fleet][html]") {
  const std::string html = render_fleet_html(merge_fleet(three_hosts(), "2026-12-03T10:00:00Z"));
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find(" src=") == std::string::npos);
  CHECK(html.find(" href=") == std::string::npos);
  CHECK(count(html, "<script>") == 1);
  CHECK(count(html, "<style>") == 1);
  CHECK(html.find("content=\"default-src 'none'; style-src 'sha256-") != std::string::npos);
  CHECK(html.find("'unsafe-inline'") == std::string::npos);
  // The same policy as the single-run report: one frame for both pages.
  const std::string run = smharden::core::render_html(smharden::test::every_status_report());
  CHECK(element(html, "<meta http-equiv", ">") == element(run, "<meta http-equiv", ">"));
}

TEST_CASE("fleet html: a hostile host name and hostile report text are escaped everywhere", "[report][fleet][html]") {
  auto hosts = three_hosts();
  hosts[1].host = hostile_markup;
  auto& r = hosts[1].report;
  r["target"] = r["mode"] = hostile_markup;
  for (auto& s : r["steps"]) {
    s["id"] = s["title"] = s["reason"] = s["severity"] = hostile_markup;
    s["findings"] = nlohmann::ordered_json::array({{{"title", hostile_markup}, {"severity", hostile_markup}}});
  }
  const std::string html = render_fleet_html(merge_fleet(hosts, hostile_markup));
  CHECK(count(html, "<script") == 1);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("onerror=alert(2)>") == std::string::npos);
  const std::string escaped =
      "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;&#39;&amp;amp;"
      "\\x00\\x1b[2J\\x7f\\u0085\\xff\t end";
  CHECK(count(html, "data-host=\"" + escaped + "\"") == 1);
  CHECK(count(html, escaped) >= 8);  // host, target, mode, step id, title, reason, finding, severity, date
  for (char c : html) {
    const auto b = static_cast<unsigned char>(c);
    INFO(static_cast<int>(b));
    CHECK(((b >= 0x20 && b != 0x7f) || c == '\n' || c == '\t' || c == '\r'));
  }
  CHECK(html.find("\xc2\x85") == std::string::npos);
}
