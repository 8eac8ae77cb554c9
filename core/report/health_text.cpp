#include <fmt/format.h>

#include "base/text_escape.hpp"
#include "report/report_writers.hpp"

namespace smharden::core {
namespace {

std::string check_line(const nlohmann::json& c) {
  const bool counted = c.value("before_ok", true);
  const bool ok = c.value("ok", false);
  const char* mark = ok ? "ok  " : (counted ? "FAIL" : "--  ");
  std::string line = fmt::format("  {}  {}", mark, util::escape_control(c.value("name", "")));
  if (c.contains("url") && c["url"].is_string() && c.value("audience", "").empty()) {
    line += " " + util::escape_control(c["url"].get<std::string>());
  }
  if (c.contains("status") && c["status"].is_number_integer()) line += fmt::format(" ({})", c["status"].get<int>());
  if (!ok && c.contains("error") && c["error"].is_string()) {
    line += ": " + util::escape_control(c["error"].get<std::string>());
  }
  if (!ok && !counted) line += " (failed before this apply too: not counted)";
  return line + "\n";
}

}  // namespace

std::string render_health(const nlohmann::json& health, const std::string& label) {
  if (!health.is_object()) return "";
  if (health.contains("skipped")) {
    return fmt::format("{}: skipped — {}\n", label, util::escape_control(health.value("skipped", "")));
  }
  const long attempts = health.value("attempts", 0L);
  std::string out = fmt::format("{}: {} ({} attempt{})\n", label, health.value("ok", false) ? "ok" : "FAILED", attempts,
                                attempts == 1 ? "" : "s");
  for (const auto& c : health.value("checks", nlohmann::json::array())) out += check_line(c);
  if (health.contains("audiences_skipped") && health["audiences_skipped"].is_string()) {
    out += "  no check per audience: " + util::escape_control(health["audiences_skipped"].get<std::string>()) + "\n";
  }
  return out;
}

}  // namespace smharden::core
