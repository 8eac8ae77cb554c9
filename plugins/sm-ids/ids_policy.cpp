#include "ids_policy.hpp"

#include "ids_whitelist.hpp"

namespace smharden::sm_ids {
namespace {

json values_of(const json& rule) {
  return {{"action", rule.value("action", "")},
          {"time_frame_minutes", rule.value("time_frame_minutes", 0LL)},
          {"threshold", rule.value("threshold", 0LL)},
          {"block_minutes", rule.value("block_minutes", 0LL)}};
}

bool same_scope(const json& have, const json& want) {
  if (have.value("type", "") != want.value("type", "")) return false;
  const std::string service = want.value("service", "");
  return service.empty() || have.value("service", "") == service;
}

}  // namespace

json default_rules() {
  return json::array({{{"type", "password_brute_force_by_ip"},
                       {"time_frame_minutes", 30},
                       {"threshold", 5},
                       {"block_minutes", 1440}}});
}

bool satisfies(const json& have, const json& want, const std::string& comparison) {
  if (!same_scope(have, want) || have.value("action", "") != "block") return false;
  const long long threshold = have.value("threshold", 0LL), frame = have.value("time_frame_minutes", 0LL),
                  block = have.value("block_minutes", 0LL);
  const long long w_threshold = want.value("threshold", 0LL), w_frame = want.value("time_frame_minutes", 0LL),
                  w_block = want.value("block_minutes", 0LL);
  if (comparison == "exact") return threshold == w_threshold && frame == w_frame && block == w_block;
  return threshold > 0 && threshold <= w_threshold && frame >= w_frame && block >= w_block;
}

plan make_plan(const json& current, const json& params) {
  plan p;
  const std::string comparison = params.value("comparison", "at_least_as_strict");
  p.rules = current.value("rules", json::array());
  const json wanted = params.contains("rules") ? params["rules"] : default_rules();
  for (const auto& want : wanted) {
    const std::string type = want.value("type", "");
    bool ok = false;
    for (const auto& have : p.rules) ok = ok || satisfies(have, want, comparison);
    if (ok) continue;
    json found = json::array();
    for (const auto& have : p.rules) {
      if (same_scope(have, want)) found.push_back(values_of(have));
    }
    const json desired = {{"action", "block"},
                          {"time_frame_minutes", want.value("time_frame_minutes", 0LL)},
                          {"threshold", want.value("threshold", 0LL)},
                          {"block_minutes", want.value("block_minutes", 0LL)}};
    finding f;
    f.id = "rule:" + type + (want.value("service", "").empty() ? "" : ":" + want.value("service", ""));
    f.title = "IDS rule " + type + " is missing or weaker than " + std::to_string(want.value("threshold", 0LL)) +
              " failures / " + std::to_string(want.value("time_frame_minutes", 0LL)) + " min -> block " +
              std::to_string(want.value("block_minutes", 0LL)) + " min";
    f.current = found;
    f.desired = desired;
    // Edit the first blocking rule of this type, else add a rule.
    auto target = p.rules.end();
    for (auto it = p.rules.begin(); it != p.rules.end(); ++it) {
      if (same_scope(*it, want) && it->value("action", "") == "block") {
        target = it;
        break;
      }
    }
    if (target != p.rules.end()) {
      const json before = *target;
      for (const auto& [k, v] : desired.items()) (*target)[k] = v;
      f.remediation = "apply sets the existing " + type + " rule (" + before.value("description", "") +
                      ") to these values. " + recovery_text();
      p.changes.push_back({f.id, "tightened IDS rule " + type, values_of(before), desired});
    } else {
      json rule = desired;
      rule["type"] = type;
      rule["service"] = want.value("service", "");
      rule["description"] = want.value("description", "smharden: " + type);
      p.rules.push_back(rule);
      f.remediation = "apply adds a " + type + " rule with these values. " + recovery_text();
      p.changes.push_back({f.id, "added IDS rule " + type, nullptr, desired});
    }
    p.findings.push_back(f);
    p.changed = true;
  }
  return p;
}

}  // namespace smharden::sm_ids
