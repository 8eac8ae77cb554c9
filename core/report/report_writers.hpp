// The report formats. JSON ("smharden.report/1") is the machine contract;
// text is for a terminal; JUnit XML is for CI dashboards.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

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
/// The report's "access_matrix" as a table (audiences by surfaces, "before -> after" where they differ);
/// "" when it has no audience.
std::string render_access_matrix(const nlohmann::json& matrix);

}  // namespace smharden::core
