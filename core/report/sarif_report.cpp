// SARIF 2.1.0: one run of the tool "smharden". Rules are the steps and their
// findings ("step/finding"); results are the findings still open after the run
// (a waived one carries an accepted suppression) and the steps that failed,
// were blocked or could not run, so nothing unproven looks clean.
#include <fmt/format.h>

#include <map>

#include "base/atomic_file.hpp"
#include "report/field_text.hpp"
#include "report/report_writers.hpp"

namespace smharden::core {
namespace {

using oj = nlohmann::ordered_json;
using nlohmann::json;

constexpr const char* sarif_schema_uri =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

const char* level_of(const std::string& severity) {
  if (severity == "critical" || severity == "high") return "error";
  if (severity == "low" || severity == "info") return "note";
  return "warning";  // medium, and any severity smharden does not know
}

std::string sentence(std::string text) {
  if (text.empty() || text.back() != '.') text += '.';
  return text;
}

oj copy(const json& v) { return oj::parse(v.dump(-1, ' ', false, json::error_handler_t::replace)); }

class sarif_builder {
 public:
  explicit sarif_builder(const run_report& r) : report_(r) {}

  oj build() {
    for (const auto& s : report_.steps) add_step(s);
    oj invocation = {{"executionSuccessful", execution_successful()}, {"exitCode", report_.exit_code}};
    if (!report_.started_at.empty()) invocation["startTimeUtc"] = report_.started_at;
    if (!report_.finished_at.empty()) invocation["endTimeUtc"] = report_.finished_at;
    oj summary = oj::object();
    for (const auto& [k, v] : report_.summary()) summary[k] = v;
    oj run = {{"tool",
               {{"driver",
                 {{"name", "smharden"},
                  {"version", SMHARDEN_VERSION},
                  {"semanticVersion", SMHARDEN_VERSION},
                  {"rules", rules_}}}}},
              {"invocations", oj::array({invocation})},
              {"results", results_},
              {"properties",
               {{"mode", report_.mode},
                {"profile", report_.profile},
                {"target", report_.target},
                {"run_id", report_.run_id},
                {"summary", summary}}}};
    if (!report_.run_id.empty()) run["automationDetails"] = {{"id", "smharden/" + report_.run_id}};
    return {{"$schema", sarif_schema_uri}, {"version", "2.1.0"}, {"runs", oj::array({run})}};
  }

 private:
  bool execution_successful() const {
    for (const auto& s : report_.steps) {
      if (s.status == step_status::error) return false;
    }
    return true;
  }

  std::size_t rule(const std::string& id, const std::string& title, const std::string& severity) {
    if (const auto it = rule_index_.find(id); it != rule_index_.end()) return it->second;
    rules_.push_back({{"id", id},
                      {"shortDescription", {{"text", sentence(title.empty() ? id : title)}}},
                      {"defaultConfiguration", {{"level", level_of(severity)}}},
                      {"properties", {{"severity", severity}}}});
    return rule_index_[id] = rules_.size() - 1;
  }

  oj result(const std::string& rule_id, std::size_t index, const std::string& level, const std::string& message,
            const step_result& s, const std::string& finding_id) {
    return {{"ruleId", rule_id},
            {"ruleIndex", index},
            {"kind", "fail"},
            {"level", level},
            {"message", {{"text", sentence(message)}}},
            {"locations",
             oj::array({{{"logicalLocations",
                          oj::array({{{"name", s.id}, {"fullyQualifiedName", s.id}, {"kind", "resource"}}})}}})},
            {"partialFingerprints",
             {{"smhardenFinding/v1", util::sha256_hex(report_.target + '\n' + s.id + '\n' + finding_id)}}}};
  }

  void add_step(const step_result& s) {
    const std::size_t step_rule = rule(s.id, s.title, s.severity);
    rules_[step_rule]["properties"]["plugin_version"] = s.plugin_version;
    const bool open = findings_still_open(s.status);
    bool any_open = false;
    for (std::size_t i = 0; open && i < s.findings.size(); ++i) {
      const json& f = s.findings[i];
      if (!f.is_object()) continue;
      const std::string finding_id = text_of(f, "id").empty() ? fmt::format("finding-{}", i + 1) : text_of(f, "id");
      const std::string severity = text_of(f, "severity").empty() ? s.severity : text_of(f, "severity");
      const std::string rule_id = s.id + "/" + finding_id;
      const std::string title = text_of(f, "title").empty() ? rule_id : text_of(f, "title");
      oj r = result(rule_id, rule(rule_id, title, severity), level_of(severity),
                    fmt::format("{}: current {}, desired {}", title, text_of(f, "current"), text_of(f, "desired")), s,
                    finding_id);
      oj props = {{"step", s.id}, {"status", to_string(s.status)}, {"severity", severity}};
      for (const char* key : {"current", "desired", "remediation", "automated"}) {
        if (f.contains(key)) props[key] = copy(f[key]);
      }
      r["properties"] = props;
      if (const auto w = f.find("waived"); w != f.end()) {
        oj suppression = {{"kind", "external"}, {"status", "accepted"}};
        if (const std::string reason = w->is_object() ? text_of(*w, "reason") : ""; !reason.empty()) {
          suppression["justification"] = reason;
        }
        if (w->is_object() && w->contains("expires")) suppression["properties"] = {{"expires", copy((*w)["expires"])}};
        r["suppressions"] = oj::array({suppression});
      } else {
        any_open = true;
      }
      results_.push_back(std::move(r));
    }
    const bool unproven =
        s.status == step_status::error || s.status == step_status::failed || s.status == step_status::blocked;
    if (unproven && !any_open) {
      oj r = result(s.id, step_rule, "error",
                    fmt::format("step {} {}{}", s.id, to_string(s.status), s.reason.empty() ? "" : ": " + s.reason), s,
                    "");
      r["properties"] = {{"step", s.id}, {"status", to_string(s.status)}, {"severity", s.severity}};
      results_.push_back(std::move(r));
    }
  }

  const run_report& report_;
  oj rules_ = oj::array();
  oj results_ = oj::array();
  std::map<std::string, std::size_t> rule_index_;
};

}  // namespace

std::string render_sarif(const run_report& report) {
  return sarif_builder(report).build().dump(2, ' ', false, oj::error_handler_t::replace) + "\n";
}

}  // namespace smharden::core
