// The report formats. JSON ("smharden.report/1") is the machine contract;
// text is for a terminal; JUnit XML is for CI dashboards; HTML is for people;
// SARIF 2.1.0 is for code-scanning tools; Prometheus text is for monitoring.
// Every writer renders any run report, including one read back with
// report_from_json (keys it does not know stay in run_report::extra).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "report/run_report.hpp"

namespace smharden::core {

inline constexpr const char* report_schema_id = "smharden.report/1";

nlohmann::ordered_json to_json(const run_report& report);
nlohmann::ordered_json to_json(const step_result& step);
/// The inverse of to_json (a report that crossed a pipe from the process that ran it).
/// Throws std::invalid_argument when `j` is not a smharden report.
run_report report_from_json(const nlohmann::json& j);
step_result step_from_json(const nlohmann::json& j);
/// color: ANSI colours for a terminal.
std::string render_text(const run_report& report, bool color, bool verbose);
std::string render_junit(const run_report& report);
/// One JUnit document for many hosts: a testsuite per host, named "HOST: smharden MODE PROFILE".
std::string render_junit(const std::vector<std::pair<std::string, run_report>>& hosts);
/// One self-contained HTML file: inline CSS and script, no network resource.
std::string render_html(const run_report& report);
/// SARIF 2.1.0, one run of the tool "smharden".
std::string render_sarif(const run_report& report);
/// Prometheus text exposition format: compliance gauges per step, counts by status and severity.
std::string render_prometheus(const run_report& report);
/// The report in the format its file name asks for: .json, .xml (JUnit), .html/.htm, .sarif,
/// anything else text.
std::string render_for_file(const run_report& report, const std::string& file);
/// The report's "access_matrix" as a table (audiences by surfaces, "before -> after" where they differ);
/// "" when it has no audience.
std::string render_access_matrix(const nlohmann::json& matrix);
/// The report's "health" (or "health_after_rollback") under `label`: the outcome, then one line per check
/// ("ok", "FAIL", or "--" for a check that failed before the apply too); "" when there is none.
std::string render_health(const nlohmann::json& health, const std::string& label);

}  // namespace smharden::core
