#include "relay_policy.hpp"

#include <smharden/common/ip_range.hpp>

namespace smharden::sm_relay {

bool entry_allowed(const std::string& entry_ip, const json& allowed) {
  const auto entry = common::parse_ip_range(entry_ip);
  std::vector<common::ip_range> ranges;
  for (const auto& a : allowed) {
    const std::string text = a.get<std::string>();
    if (text == entry_ip) return true;  // also covers entries we cannot parse
    if (const auto r = common::parse_ip_range(text)) ranges.push_back(*r);
  }
  return entry && common::covered_by(*entry, ranges);
}

plan make_plan(const json& relay, const json& whitelist, const json& params) {
  plan p;
  const std::string wanted = params.value("allow_relay", "nobody");
  const std::string current = relay.value("allow_relay", "");
  if (current != wanted) {
    finding f;
    f.id = "allow-relay";
    f.title = "SMTP In Allow Relay is \"" + current + "\", not \"" + wanted + "\"";
    f.severity = current == "anyone" ? "critical" : "high";
    f.current = current;
    f.desired = wanted;
    f.remediation = "apply sets Settings > Protocols > SMTP In > Allow Relay to " + wanted;
    p.findings.push_back(f);
    p.allow_relay = wanted;
    p.changes.push_back({"allow-relay", "set Allow Relay to " + wanted, current, wanted});
  }
  const json allowed = params.value("allowed_bypass_ips", json::array());
  const bool clear = params.value("remove_unlisted_bypass", false);
  for (const auto& entry : whitelist.value("entries", json::array())) {
    if (!entry.value("smtp_auth_bypass", false)) continue;
    const std::string ip = entry.value("ip", "");
    if (entry_allowed(ip, allowed)) continue;
    finding f;
    f.id = "smtp-auth-bypass:" + ip;
    f.title = "Whitelist entry " + ip + " (" + entry.value("description", "") +
              ") may send without SMTP authentication but is not in allowed_bypass_ips";
    f.current = {{"ip", ip}, {"smtp_auth_bypass", true}};
    f.desired = {{"ip", ip}, {"smtp_auth_bypass", false}};
    f.automated = clear;
    f.remediation = clear ? "apply clears SMTP Auth Bypass on this whitelist entry (the entry stays)"
                          : "add " + ip +
                                " to allowed_bypass_ips if it is a trusted relay, or clear its SMTP Auth "
                                "Bypass (Settings > Security > Whitelist) or set remove_unlisted_bypass: true";
    p.findings.push_back(f);
    if (clear) {
      p.bypass_clears.push_back({{"ip", ip}, {"smtp_auth_bypass", false}});
      p.changes.push_back({f.id, "cleared SMTP Auth Bypass on " + ip, true, false});
    }
  }
  return p;
}

}  // namespace smharden::sm_relay
