#include "report/fleet_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <map>
#include <set>

#include "base/errors.hpp"
#include "base/json_reader.hpp"
#include "base/text_escape.hpp"
#include "report/report_writers.hpp"

namespace smharden::core {
namespace {

using oj = nlohmann::ordered_json;

/// Every step status, worst first: the order of the summary's maps and of a host's status.
constexpr std::array<const char*, 8> statuses_worst_first = {"error",   "failed", "blocked",   "drift",
                                                             "applied", "waived", "compliant", "skipped"};
/// Known severities, most severe first; others follow in alphabetical order.
constexpr std::array<const char*, 5> known_severities = {"critical", "high", "medium", "low", "info"};

bool known_status(const std::string& status) {
  return std::find(statuses_worst_first.begin(), statuses_worst_first.end(), status) != statuses_worst_first.end();
}

std::size_t rank(const std::string& status) {
  for (std::size_t i = 0; i < statuses_worst_first.size(); ++i) {
    if (status == statuses_worst_first[i]) return i;
  }
  return 0;  // unknown: as bad as it gets (the shape check refuses it before)
}

std::string found_text(const oj& value) {
  if (value.is_string()) return value.dump();
  if (value.is_structured()) return std::string(value.is_object() ? "an object" : "an array");
  return value.dump();
}

[[noreturn]] void bad_shape(const std::string& source, const std::string& pointer, const std::string& expected,
                            const oj& found) {
  throw runtime_error(
      fmt::format("{}: {}: expected {}, found {}. Fix: pass the JSON report smharden wrote "
                  "(`smharden check|apply --report FILE.json` or `--format json`), unchanged",
                  source, pointer, expected, found_text(found)));
}

void expect_string(const oj& parent, const char* key, const std::string& source, const std::string& at, bool required) {
  const auto it = parent.find(key);
  if (it == parent.end()) {
    if (required) bad_shape(source, at + "/" + key, "a string", oj("nothing (the key is missing)"));
    return;
  }
  if (!it->is_string()) bad_shape(source, at + "/" + key, "a string", *it);
}

void expect_array(const oj& parent, const char* key, const std::string& source, const std::string& at) {
  const auto it = parent.find(key);
  if (it != parent.end() && !it->is_array()) bad_shape(source, at + "/" + key, "an array", *it);
}

void check_step(const oj& step, const std::string& source, const std::string& at) {
  if (!step.is_object()) bad_shape(source, at, "a step (an object)", step);
  expect_string(step, "id", source, at, true);
  expect_string(step, "title", source, at, false);
  expect_string(step, "severity", source, at, false);
  expect_string(step, "reason", source, at, false);
  const auto status = step.find("status");
  std::string known;
  for (const char* s : statuses_worst_first) known += fmt::format("{}{}", known.empty() ? "" : ", ", s);
  if (status == step.end() || !status->is_string() || !known_status(status->get<std::string>())) {
    bad_shape(source, at + "/status", "one of " + known,
              status == step.end() ? oj("nothing (the key is missing)") : *status);
  }
  for (const char* list : {"findings", "changes"}) {
    expect_array(step, list, source, at);
    const auto items = step.find(list);
    if (items == step.end()) continue;
    for (std::size_t i = 0; i < items->size(); ++i) {
      const std::string item_at = fmt::format("{}/{}/{}", at, list, i);
      if (!(*items)[i].is_object()) bad_shape(source, item_at, "an object", (*items)[i]);
      expect_string((*items)[i], "severity", source, item_at, false);
    }
  }
}

std::string status_of(const oj& step) { return step.at("status").get<std::string>(); }

oj zero_counts() {
  oj counts = oj::object();
  for (const char* s : statuses_worst_first) counts[s] = 0;
  return counts;
}

std::vector<std::string> severity_order(const std::set<std::string>& seen) {
  std::vector<std::string> out;
  for (const char* s : known_severities) {
    if (seen.count(s) != 0) out.emplace_back(s);
  }
  for (const auto& s : seen) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return out;
}

struct step_tally {
  std::string title;
  std::string severity;
  oj counts = zero_counts();
  std::map<std::string, std::vector<std::string>> hosts;  ///< status -> hosts (not for compliant)
};

oj summarize(const std::vector<fleet_host>& hosts) {
  oj hosts_by_status = zero_counts();
  oj steps_by_status = zero_counts();
  std::map<std::string, oj> by_severity;
  std::map<std::string, std::size_t> findings_by_severity;
  std::set<std::string> severities;
  std::vector<std::string> step_order;
  std::map<std::string, step_tally> steps;
  for (const auto& h : hosts) {
    hosts_by_status[host_status(h.report)] = hosts_by_status[host_status(h.report)].get<int>() + 1;
    for (const auto& step : h.report.value("steps", oj::array())) {
      const std::string id = step.at("id").get<std::string>();
      const std::string status = status_of(step);
      std::string severity = step.value("severity", "");
      if (severity.empty()) severity = "unspecified";
      steps_by_status[status] = steps_by_status[status].get<int>() + 1;
      severities.insert(severity);
      auto& sev = by_severity.try_emplace(severity, zero_counts()).first->second;
      sev[status] = sev[status].get<int>() + 1;
      // Findings are open on a step that drifts or failed; an applied step lists what it fixed.
      for (const auto& f : step.value("findings", oj::array())) {
        if (f.contains("waived") || (status != "drift" && status != "failed")) continue;
        const std::string fs = f.value("severity", severity);
        severities.insert(fs);
        ++findings_by_severity[fs];
      }
      auto [tally, fresh] = steps.try_emplace(id);
      if (fresh) step_order.push_back(id);
      if (tally->second.title.empty()) tally->second.title = step.value("title", "");
      if (tally->second.severity.empty()) tally->second.severity = severity;
      tally->second.counts[status] = tally->second.counts[status].get<int>() + 1;
      if (status != "compliant") tally->second.hosts[status].push_back(h.host);
    }
  }
  oj severity_json = oj::object();
  oj findings_json = oj::object();
  for (const auto& s : severity_order(severities)) {
    if (const auto it = by_severity.find(s); it != by_severity.end()) severity_json[s] = it->second;
    findings_json[s] = findings_by_severity[s];
  }
  oj by_step = oj::array();
  for (const auto& id : step_order) {
    const step_tally& t = steps.at(id);
    oj hosts_json = oj::object();
    for (const char* s : statuses_worst_first) {
      if (const auto it = t.hosts.find(s); it != t.hosts.end()) hosts_json[s] = it->second;
    }
    by_step.push_back(
        {{"id", id}, {"title", t.title}, {"severity", t.severity}, {"counts", t.counts}, {"hosts", hosts_json}});
  }
  return {{"hosts", hosts.size()},
          {"hosts_by_status", hosts_by_status},
          {"steps_by_status", steps_by_status},
          {"steps_by_severity", severity_json},
          {"open_findings_by_severity", findings_json},
          {"by_step", by_step}};
}

}  // namespace

void check_run_report_shape(const oj& report, const std::string& source) {
  if (!report.is_object()) bad_shape(source, "/", "a smharden run report (a JSON object)", report);
  const auto schema = report.find("schema");
  if (schema == report.end() || *schema != report_schema_id) {
    if (schema != report.end() && *schema == fleet_report_schema_id) {
      throw runtime_error(
          fmt::format("{}: /schema: expected a run report (\"{}\"), found a fleet report. Fix: merge "
                      "the run reports it was made from",
                      source, report_schema_id));
    }
    bad_shape(source, "/schema", fmt::format("\"{}\"", report_schema_id),
              schema == report.end() ? oj("nothing (the key is missing)") : *schema);
  }
  for (const char* key : {"run_id", "mode", "target"}) expect_string(report, key, source, "", false);
  const auto exit = report.find("exit_code");
  if (exit != report.end() && !exit->is_number_integer()) bad_shape(source, "/exit_code", "an integer", *exit);
  expect_array(report, "steps", source, "");
  const auto steps = report.find("steps");
  if (steps == report.end()) bad_shape(source, "/steps", "an array", oj("nothing (the key is missing)"));
  for (std::size_t i = 0; i < steps->size(); ++i) check_step((*steps)[i], source, fmt::format("/steps/{}", i));
}

fleet_host read_host_report(const std::filesystem::path& file) {
  json_read_options options{own_json_limits};
  options.blame = json_blame::data;
  options.what = "smharden JSON report";
  fleet_host h;
  h.source = file.string();
  h.report = read_ordered_json_file(file, options);
  check_run_report_shape(h.report, h.source);
  h.host = file.stem().string();
  return h;
}

std::string host_status(const oj& report) {
  std::string worst = "skipped";
  for (const auto& step : report.value("steps", oj::array())) {
    const std::string s = status_of(step);
    if (rank(s) < rank(worst)) worst = s;
  }
  const int exit = report.value("exit_code", 0);
  if (exit == static_cast<int>(exit_code::apply_failed) && rank(worst) > rank("failed")) return "failed";
  if ((exit == static_cast<int>(exit_code::runtime) || exit == static_cast<int>(exit_code::usage)) &&
      rank(worst) > rank("error")) {
    return "error";
  }
  if (exit == static_cast<int>(exit_code::drift) && rank(worst) > rank("drift")) return "drift";
  return worst;
}

oj merge_fleet(const std::vector<fleet_host>& hosts, const std::string& generated_at) {
  std::map<std::string, std::string> seen;
  oj hosts_json = oj::array();
  for (const auto& h : hosts) {
    if (const auto [it, fresh] = seen.emplace(h.host, h.source); !fresh) {
      throw usage_error(
          fmt::format("report merge: {} and {} both name host \"{}\". Fix: name each report after its "
                      "host (HOST.json)",
                      it->second, h.source, h.host));
    }
    hosts_json.push_back(
        {{"host", h.host}, {"source", h.source}, {"status", host_status(h.report)}, {"report", h.report}});
  }
  oj statuses = oj::array();
  for (const char* s : statuses_worst_first) statuses.push_back(s);
  return {{"schema", fleet_report_schema_id},
          {"kind", "fleet"},
          {"generated_at", generated_at},
          {"statuses", statuses},
          {"hosts", hosts_json},
          {"summary", summarize(hosts)}};
}

std::string render_fleet_text(const oj& fleet) {
  const auto e = [](const std::string& s) { return util::escape_control(s, util::escape_for::line); };
  const auto counts_text = [](const oj& counts) {
    std::string out;
    for (const auto& [k, v] : counts.items()) {
      if (v.get<int>() > 0) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", v.get<int>(), k);
    }
    return out.empty() ? std::string("none") : out;
  };
  const oj& summary = fleet.at("summary");
  std::string out = fmt::format("smharden fleet report — {} host(s): {}\n", summary.at("hosts").get<std::size_t>(),
                                counts_text(summary.at("hosts_by_status")));
  for (const auto& h : fleet.at("hosts")) {
    const oj& r = h.at("report");
    out += fmt::format("{:<9} {:<24} {} on {} (exit {})\n", h.at("status").get<std::string>(),
                       e(h.at("host").get<std::string>()), e(r.value("mode", "")), e(r.value("target", "")),
                       r.value("exit_code", 0));
    for (const auto& step : r.value("steps", oj::array())) {
      const std::string s = status_of(step);
      if (rank(s) > rank("drift")) continue;
      out += fmt::format("          {:<8} {}: {}\n", s, e(step.at("id").get<std::string>()),
                         e(step.value("reason", "").empty() ? step.value("title", "") : step.value("reason", "")));
    }
  }
  out += fmt::format("steps across hosts: {}\n", counts_text(summary.at("steps_by_status")));
  out += fmt::format("open findings by severity: {}\n", counts_text(summary.at("open_findings_by_severity")));
  return out;
}

std::string render_fleet_junit(const oj& fleet) {
  std::vector<std::pair<std::string, run_report>> hosts;
  for (const auto& h : fleet.at("hosts")) {
    hosts.emplace_back(h.at("host").get<std::string>(), report_from_json(nlohmann::json::parse(h.at("report").dump())));
  }
  return render_junit(hosts);
}

}  // namespace smharden::core
