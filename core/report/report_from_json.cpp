#include <set>
#include <stdexcept>

#include "report/report_writers.hpp"

namespace smharden::core {
namespace {

using nlohmann::json;

step_status status_from(const std::string& text) {
  for (const step_status s : {step_status::compliant, step_status::drift, step_status::applied, step_status::failed,
                              step_status::blocked, step_status::skipped, step_status::waived, step_status::error}) {
    if (text == to_string(s)) return s;
  }
  throw std::invalid_argument("report: unknown step status \"" + text + "\"");
}

std::vector<std::string> strings(const json& j, const char* key) {
  std::vector<std::string> out;
  for (const auto& v : j.value(key, json::array())) out.push_back(v.get<std::string>());
  return out;
}

}  // namespace

step_result step_from_json(const json& j) {
  step_result s;
  s.id = j.at("id").get<std::string>();
  s.title = j.value("title", "");
  s.plugin_version = j.value("plugin_version", "");
  s.status = status_from(j.at("status").get<std::string>());
  s.severity = j.value("severity", "");
  s.reason = j.value("reason", "");
  s.findings = j.value("findings", json::array());
  s.changes = j.value("changes", json::array());
  s.duration_ms = j.value("duration_ms", std::int64_t{0});
  s.os_access = j.value("os_access", false);
  return s;
}

run_report report_from_json(const json& j) {
  if (!j.is_object() || j.value("schema", "") != report_schema_id) {
    throw std::invalid_argument("report: not a smharden report");
  }
  static const std::set<std::string> known = {"schema",    "run_id",  "mode",     "started_at", "finished_at",
                                              "target",    "profile", "steps",    "restarts",   "notices",
                                              "overrides", "summary", "exit_code"};
  run_report r;
  r.run_id = j.value("run_id", "");
  r.mode = j.value("mode", "");
  r.started_at = j.value("started_at", "");
  r.finished_at = j.value("finished_at", "");
  r.target = j.value("target", "");
  const json profile = j.value("profile", json::object());
  r.profile = profile.value("name", "");
  r.profile_chain = strings(profile, "chain");
  for (const auto& s : j.value("steps", json::array())) r.steps.push_back(step_from_json(s));
  for (const auto& x : j.value("restarts", json::array())) {
    r.restarts.push_back({x.value("kind", ""), x.value("name", ""), x.value("status", ""), x.value("message", "")});
  }
  r.notices = strings(j, "notices");
  r.overrides = strings(j, "overrides");
  for (const auto& [key, value] : j.items()) {
    if (known.count(key) == 0) r.extra[key] = value;
  }
  r.exit_code = j.value("exit_code", 0);
  return r;
}

}  // namespace smharden::core
