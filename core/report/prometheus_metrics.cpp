// The run as Prometheus text exposition format (version 0.0.4), for
// windows_exporter's textfile collector or node_exporter's: gauges only, no
// timestamps (the textfile collectors refuse them), "\n" line ends, UTF-8
// without a byte-order mark.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <optional>

#include "base/text_escape.hpp"
#include "report/report_writers.hpp"

namespace smharden::core {
namespace {

/// A label value: escaped for the terminal first (no control character or
/// invalid UTF-8 survives), then backslash and double quote as the format wants.
std::string label(std::string_view raw) {
  std::string out;
  for (char c : util::escape_control(raw)) {
    if (c == '\\' || c == '"') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::optional<long long> unix_seconds(const std::string& iso) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char z = 0;
  if (std::sscanf(iso.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &z) != 7 || z != 'Z') {
    return std::nullopt;
  }
  const std::chrono::year_month_day day{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!day.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
  const auto days = std::chrono::sys_days{day}.time_since_epoch().count();
  return static_cast<long long>(days) * 86400 + h * 3600 + mi * 60 + s;
}

class exposition {
 public:
  void family(const char* name, const char* help) {
    out_ += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name, help, name);
  }
  void sample(const char* name, const std::vector<std::pair<const char*, std::string>>& labels, long long value) {
    std::string text;
    for (const auto& [key, v] : labels) text += fmt::format("{}{}=\"{}\"", text.empty() ? "" : ",", key, label(v));
    out_ += fmt::format("{}{{{}}} {}\n", name, text, value);
  }
  std::string text() && { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace

std::string render_prometheus(const run_report& r) {
  exposition m;
  m.family("smharden_step_compliant",
           "1 when the step was compliant after the last run (compliant or applied), 0 otherwise.");
  for (const auto& s : r.steps) {
    const bool ok = s.status == step_status::compliant || s.status == step_status::applied;
    m.sample("smharden_step_compliant", {{"profile", r.profile}, {"step", s.id}, {"severity", s.severity}}, ok ? 1 : 0);
  }
  const auto counts = r.summary();
  m.family("smharden_step_status", "1 for the status the step had in the last run, 0 for the other statuses.");
  for (const auto& s : r.steps) {
    for (const auto& [status, n] : counts) {
      m.sample("smharden_step_status", {{"profile", r.profile}, {"step", s.id}, {"status", status}},
               status == to_string(s.status) ? 1 : 0);
    }
  }
  m.family("smharden_steps", "Steps of the last run by status.");
  for (const auto& [status, n] : counts) m.sample("smharden_steps", {{"profile", r.profile}, {"status", status}}, n);

  std::map<std::string, std::pair<long long, long long>> findings;  // severity -> open, waived
  for (const char* sev : {"critical", "high", "medium", "low", "info"}) findings[sev];
  for (const auto& s : r.steps) {
    if (!findings_still_open(s.status)) continue;
    for (const auto& f : s.findings) {
      const bool is_object = f.is_object();
      const auto sev = is_object ? f.find("severity") : f.end();
      const std::string severity =
          is_object && sev != f.end() && sev->is_string() ? sev->get<std::string>() : s.severity;
      auto& n = findings[severity];
      ++(is_object && f.contains("waived") ? n.second : n.first);
    }
  }
  m.family("smharden_findings", "Findings the last run left open, by severity; waived=\"true\" counts waived ones.");
  for (const auto& [severity, n] : findings) {
    m.sample("smharden_findings", {{"profile", r.profile}, {"severity", severity}, {"waived", "false"}}, n.first);
    m.sample("smharden_findings", {{"profile", r.profile}, {"severity", severity}, {"waived", "true"}}, n.second);
  }
  m.family("smharden_run_exit_code", "Exit code of the last run (0 compliant, 3 drift; see the user guide).");
  m.sample("smharden_run_exit_code", {{"profile", r.profile}, {"mode", r.mode}}, r.exit_code);
  if (const auto finished = unix_seconds(r.finished_at)) {
    m.family("smharden_run_finished_timestamp_seconds", "When the last run finished, in seconds since 1970 (UTC).");
    m.sample("smharden_run_finished_timestamp_seconds", {{"profile", r.profile}, {"mode", r.mode}}, *finished);
  }
  return std::move(m).text();
}

}  // namespace smharden::core
