#include "report/report_writers.hpp"

namespace smharden::core {

nlohmann::ordered_json to_json(const step_result& s) {
  using oj = nlohmann::ordered_json;
  oj step = {{"id", s.id},
             {"title", s.title},
             {"plugin_version", s.plugin_version},
             {"status", to_string(s.status)},
             {"severity", s.severity},
             {"reason", s.reason},
             {"findings", oj::parse(s.findings.dump())},
             {"changes", oj::parse(s.changes.dump())},
             {"duration_ms", s.duration_ms}};
  if (s.os_access) step["os_access"] = true;
  return step;
}

nlohmann::ordered_json to_json(const run_report& r) {
  using oj = nlohmann::ordered_json;
  oj steps = oj::array();
  for (const auto& s : r.steps) steps.push_back(to_json(s));
  oj restarts = oj::array();
  for (const auto& x : r.restarts) {
    restarts.push_back({{"kind", x.kind}, {"name", x.name}, {"status", x.status}, {"message", x.message}});
  }
  oj summary = oj::object();
  for (const auto& [k, v] : r.summary()) summary[k] = v;
  oj out = {{"schema", report_schema_id},
            {"run_id", r.run_id},
            {"mode", r.mode},
            {"started_at", r.started_at},
            {"finished_at", r.finished_at},
            {"target", r.target},
            {"profile", {{"name", r.profile}, {"chain", r.profile_chain}}},
            {"steps", steps},
            {"restarts", restarts},
            {"notices", r.notices},
            {"overrides", r.overrides},
            {"summary", summary}};
  for (const auto& [k, v] : r.extra.items()) out[k] = oj::parse(v.dump());
  out["exit_code"] = r.exit_code;
  return out;
}

}  // namespace smharden::core
