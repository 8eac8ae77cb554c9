#include <fmt/format.h>

#include "base/text_escape.hpp"
#include "report/report_writers.hpp"

namespace smharden::core {
namespace {

/// Text a plugin or the target supplied, safe for a terminal.
std::string e(std::string_view text) { return util::escape_control(text); }

std::string short_value(const nlohmann::json& v) {
  if (v.is_null()) return "(none)";
  std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  if (s.size() > 160) s = s.substr(0, 157) + "...";
  return e(s);
}

const char* colour_of(step_status s) {
  switch (s) {
    case step_status::compliant:
    case step_status::applied:
      return "\033[32m";
    case step_status::drift:
    case step_status::waived:
      return "\033[33m";
    case step_status::failed:
    case step_status::error:
    case step_status::blocked:
      return "\033[31m";
    case step_status::skipped:
      return "\033[2m";
  }
  return "";
}

}  // namespace

std::string render_text(const run_report& r, bool color, bool verbose) {
  const char* reset = color ? "\033[0m" : "";
  const char* dim = color ? "\033[2m" : "";
  std::string out = fmt::format("smharden {} — profile {} on {}\n", e(r.mode), e(r.profile), e(r.target));
  for (const auto& s : r.steps) {
    if (s.status == step_status::skipped && !verbose && s.reason == "not selected") continue;
    out += fmt::format("{}{:<9}{} {:<14} {}{}\n", color ? colour_of(s.status) : "", to_string(s.status), reset, e(s.id),
                       e(s.title), s.os_access ? "  [calls the OS directly]" : "");
    if (!s.reason.empty()) out += fmt::format("          {}{}{}\n", dim, e(s.reason), reset);
    for (const auto& f : s.findings) {
      const bool waived = f.contains("waived");
      out += fmt::format("          - [{}] {}{}\n", e(f.value("severity", "")), e(f.value("title", "")),
                         waived ? fmt::format(" (waived until {}: {})", e(f["waived"].value("expires", "")),
                                              e(f["waived"].value("reason", "")))
                                : "");
      out += fmt::format("            current: {}\n            desired: {}\n",
                         short_value(f.value("current", nlohmann::json())),
                         short_value(f.value("desired", nlohmann::json())));
      const std::string fix = f.value("remediation", "");
      if (!fix.empty()) {
        out += fmt::format("            {}: {}\n", f.value("automated", true) ? "fix" : "manual", e(fix));
      }
    }
    for (const auto& c : s.changes) out += fmt::format("          * changed: {}\n", e(c.value("description", "")));
  }
  for (const auto& x : r.restarts) {
    out += fmt::format("restart {} {}: {}{}\n", e(x.kind), e(x.name), e(x.status),
                       x.message.empty() ? "" : " — " + e(x.message));
  }
  if (r.extra.contains("access_matrix")) out += render_access_matrix(r.extra["access_matrix"]);
  if (r.extra.value("access_change_allowed", false)) out += "access change allowed by --allow-access-change\n";
  if (r.extra.contains("health")) out += render_health(r.extra["health"], "health probe");
  if (r.extra.contains("health_after_rollback")) {
    out += render_health(r.extra["health_after_rollback"], "health probe after the rollback");
  }
  for (const auto& n : r.notices) out += fmt::format("note: {}\n", e(n));
  for (const auto& o : r.overrides) out += fmt::format("override: {}\n", e(o));
  std::string counts;
  for (const auto& [k, v] : r.summary()) {
    if (v > 0) counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", v, k);
  }
  out += fmt::format("summary: {} (exit {})\n", counts.empty() ? "no steps" : counts, r.exit_code);
  return out;
}

}  // namespace smharden::core
