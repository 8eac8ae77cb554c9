#include "relay_access.hpp"

#include <smharden/common/ip_range.hpp>

#include <algorithm>

namespace smharden::sm_relay {

json relay_reach_policy(const std::string& allow_relay, const json& entries) {
  if (allow_relay == "anyone") return {{"default", "allow"}};
  if (allow_relay != "nobody") {
    return {{"unknown", "Allow Relay is \"" + allow_relay +
                            "\": whether a sender without SMTP authentication may relay depends on its sender and "
                            "recipient domains"}};
  }
  json allow = json::array();
  for (const json& e : entries) {
    const json services = e.value("services", json::array());
    if (!e.value("smtp_auth_bypass", false) || std::find(services.begin(), services.end(), "smtp") == services.end()) {
      continue;
    }
    const std::string ip = e.value("ip", "");
    if (!common::parse_ip_range(ip)) {
      return {{"unknown", "whitelist entry \"" + ip +
                              "\" bypasses SMTP authentication but is not an address, CIDR "
                              "block or range smharden reads"}};
    }
    allow.push_back(ip);
  }
  return {{"allow", allow}, {"default", "deny"}};
}

json entries_after(const json& entries, const plan& p) {
  json out = entries.is_array() ? entries : json::array();
  for (const json& upsert : p.whitelist_upserts) {
    const std::string ip = upsert.value("ip", "");
    const auto same = std::find_if(out.begin(), out.end(), [&](const json& e) { return e.value("ip", "") == ip; });
    if (same == out.end()) {
      out.push_back(upsert);
      continue;
    }
    for (const auto& [key, value] : upsert.items()) (*same)[key] = value;
  }
  return out;
}

json access_request(const json& relay, const json& whitelist, const plan& p) {
  const std::string now = relay.value("allow_relay", "");
  const json entries = whitelist.value("entries", json::array());
  return {{"step", "sm-relay"},
          {"what", "SmarterMail SMTP relay without authentication"},
          {"surfaces",
           {{"smtp_relay",
             {{"before", relay_reach_policy(now, entries)},
              {"after", relay_reach_policy(p.allow_relay.value_or(now), entries_after(entries, p))}}}}}};
}

}  // namespace smharden::sm_relay
