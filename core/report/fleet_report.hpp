// The fleet report ("smharden.fleet-report/1"): the run reports of many hosts in one document,
// with a summary across them (hosts by status, steps by status, severity and step). It is what
// `smharden report merge` writes, e.g. at the end of an Ansible play.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace smharden::core {

inline constexpr const char* fleet_report_schema_id = "smharden.fleet-report/1";

struct fleet_host {
  std::string host;               ///< the name the fleet knows the host by
  std::string source;             ///< the file the report was read from
  nlohmann::ordered_json report;  ///< the host's run report ("smharden.report/1"), as written
};

/// Reads a run report (--format json / --report FILE.json) through the bounded JSON reader and
/// checks its shape. The host is named after the file (web01.json -> web01). Throws
/// runtime_error naming the file and the JSON pointer of what is wrong.
fleet_host read_host_report(const std::filesystem::path& file);

/// Throws runtime_error ("<source>: <pointer>: expected ..., found ... Fix: ...") when `report` is
/// not a smharden run report whose steps have an id and a known status.
void check_run_report_shape(const nlohmann::ordered_json& report, const std::string& source);

/// One word for a host: its worst step status (error > failed > blocked > drift > applied > waived
/// > compliant > skipped), raised to "failed"/"error" when the run's exit code says the run failed.
/// A report without steps is "skipped": it proves nothing.
std::string host_status(const nlohmann::ordered_json& report);

/// The fleet report. Throws usage_error when two hosts have the same name. `generated_at`: ISO 8601 UTC.
nlohmann::ordered_json merge_fleet(const std::vector<fleet_host>& hosts, const std::string& generated_at);

/// The fleet report for a terminal or a .txt file.
std::string render_fleet_text(const nlohmann::ordered_json& fleet);
/// The fleet report as JUnit XML for CI dashboards: a testsuite per host (report_writers.hpp).
std::string render_fleet_junit(const nlohmann::ordered_json& fleet);

/// The fleet report as one self-contained HTML page (no network resource): the summary with
/// charts, a row per host (status, step counts, the steps that need attention) and a row per step
/// across hosts (the hosts where it is not compliant). Every string from the hosts is escaped.
std::string render_fleet_html(const nlohmann::ordered_json& fleet);

}  // namespace smharden::core
