// The rules of a windows.firewall.rules.list result as firewall_rule values,
// for the firewall step and the lab's reachability model alike. Missing keys
// read as empty (then rule_problem names the rule); header-only, so the
// common library itself stays free of JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include <smharden/common/firewall_rules.hpp>

namespace smharden::common {

inline std::vector<firewall_rule> rules_of_listing(const nlohmann::json& listing) {
  std::vector<firewall_rule> out;
  for (const auto& j : listing.value("rules", nlohmann::json::array())) {
    firewall_rule r;
    r.name = j.value("name", "");
    r.group = j.value("group", "");
    r.enabled = j.value("enabled", true);
    r.direction = j.value("direction", "");
    r.action = j.value("action", "");
    r.protocol = j.value("protocol", "");
    r.local_ports = j.value("local_ports", "");
    r.remote_addresses = j.value("remote_addresses", "");
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace smharden::common
