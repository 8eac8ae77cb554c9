// windows.firewall.rules.*: one function per method and per undo. Mutating
// methods touch only rules of smharden's own group, never an operator's rule.
#include <fmt/format.h>

#include <algorithm>

#include "services/windows/lab_firewall.hpp"
#include "services/windows/windows_method_support.hpp"

namespace smharden::services::windows {
namespace {

using self_t = windows_service;
using common::firewall_rule;

std::vector<firewall_rule> modelled_rules(self_t& self, const std::string& method) {
  auto rules = self.firewall().rules();
  if (!rules) throw service_error("unavailable", method + ": " + self.firewall().not_modelled_reason());
  return *rules;
}

std::vector<firewall_rule> named(const std::vector<firewall_rule>& rules, const std::string& name) {
  std::vector<firewall_rule> out;
  std::copy_if(rules.begin(), rules.end(), std::back_inserter(out),
               [&](const firewall_rule& r) { return r.name == name; });
  return out;
}

// Refuses to touch a rule of that name that smharden did not create.
void require_own(const std::vector<firewall_rule>& same_name, const std::string& method, const std::string& name) {
  for (const auto& r : same_name) {
    if (r.group != smharden_rule_group) {
      throw service_error("refused", fmt::format("{}: the rule \"{}\" belongs to group \"{}\", not \"{}\"; smharden "
                                                 "changes only its own rules (rename the rule or the existing one)",
                                                 method, name, r.group, smharden_rule_group));
    }
  }
}

firewall_rule rule_param(const json& p, const std::string& method) {
  if (!p.contains("rule")) throw service_error("invalid_params", method + ": \"rule\" is required");
  firewall_rule r;
  try {
    r = rule_from_json(p["rule"]);
  } catch (const std::exception& e) {
    throw service_error("invalid_params", fmt::format("{}: \"rule\": {}", method, e.what()));
  }
  if (r.group != smharden_rule_group) {
    throw service_error(
        "refused", fmt::format("{}: the rule's group must be \"{}\" (smharden's own)", method, smharden_rule_group));
  }
  return r;
}

json rules_list(self_t& self, const json& p) {
  check_params(p, "windows.firewall.rules.list", {"group"});
  const auto group = optional_string(p, "group");
  const auto rules = self.firewall().rules();
  if (!rules)
    return json{{"modelled", false}, {"reason", self.firewall().not_modelled_reason()}, {"rules", json::array()}};
  json list = json::array();
  for (const auto& r : *rules) {
    if (!group || r.group == *group) list.push_back(rule_to_json(r));
  }
  return json{{"modelled", true}, {"rules", list}};
}

json rules_set(self_t& self, const json& p) {
  const std::string m = "windows.firewall.rules.set";
  check_params(p, m, {"rule"});
  const firewall_rule r = rule_param(p, m);
  require_own(named(modelled_rules(self, m), r.name), m, r.name);
  self.firewall().put_rule(r);
  return json{{"name", r.name}};
}

undo_record undo_rules_set(self_t& self, const json& p) {
  undo_record rec;
  const std::string name = p.at("rule").at("name").get<std::string>();
  const auto before = named(modelled_rules(self, "windows.firewall.rules.set"), name);
  if (before.empty()) {
    rec.calls.push_back(call("windows.firewall.rules.remove", {{"name", name}}));
    rec.description = fmt::format("remove firewall rule \"{}\"", name);
  } else {
    rec.calls.push_back(call("windows.firewall.rules.set", {{"rule", rule_to_json(before.front())}}));
    rec.description = fmt::format("restore firewall rule \"{}\"", name);
  }
  return rec;
}

json rules_remove(self_t& self, const json& p) {
  const std::string m = "windows.firewall.rules.remove";
  check_params(p, m, {"name"});
  const std::string name = require_string(p, "name");
  const auto same = named(modelled_rules(self, m), name);
  require_own(same, m, name);
  self.firewall().remove_rule(name);
  return json{{"removed", same.size()}};
}

undo_record undo_rules_remove(self_t& self, const json& p) {
  undo_record rec;
  const std::string name = require_string(p, "name");
  const auto before = named(modelled_rules(self, "windows.firewall.rules.remove"), name);
  if (before.empty()) return rec;
  rec.calls.push_back(call("windows.firewall.rules.set", {{"rule", rule_to_json(before.front())}}));
  rec.description = fmt::format("re-create firewall rule \"{}\"", name);
  return rec;
}

const method_entry<windows_service> firewall_method_table[] = {
    {"windows.firewall.rules.list",
     access::read_only,
     "the Windows Firewall rules (both directions)",
     {"`{group?}` (only that rule group)",
      "`{modelled, reason?, rules: [{name, group, enabled, direction, action, protocol, local_ports, "
      "remote_addresses}]}`; `modelled: false` when the target does not model its firewall (unknown, not open)",
      ""},
     &rules_list},
    {"windows.firewall.rules.set",
     access::mutating,
     "create or replace a firewall rule of smharden's own group \"smharden\"",
     {"`{rule: {name, group: \"smharden\", enabled?, direction, action, protocol, local_ports, remote_addresses}}` "
      "(refused for a name used by a rule of another group)",
      "`{name}`",
      "`windows.firewall.rules.set` with the previous rule, or `windows.firewall.rules.remove` when there was none"},
     &rules_set,
     &undo_rules_set},
    {"windows.firewall.rules.remove",
     access::mutating,
     "remove a firewall rule of smharden's own group \"smharden\"",
     {"`{name}` (refused for a rule of another group)", "`{removed}` (how many rules had that name)",
      "`windows.firewall.rules.set` with the removed rule"},
     &rules_remove,
     &undo_rules_remove},
};

}  // namespace

std::span<const method_entry<windows_service>> firewall_methods() { return firewall_method_table; }

}  // namespace smharden::services::windows
