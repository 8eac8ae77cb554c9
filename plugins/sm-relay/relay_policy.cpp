#include "relay_policy.hpp"

#include <smharden/common/ip_range.hpp>

#include <algorithm>

namespace smharden::sm_relay {
namespace {

bool has_service(const json& entry, const std::string& service) {
  const json services = entry.value("services", json::array());
  return std::find(services.begin(), services.end(), service) != services.end();
}

bool relays_without_auth(const json& entry) {
  return entry.value("smtp_auth_bypass", false) && has_service(entry, "smtp");
}

std::string app_label(const json& app) {
  const std::string name = app.value("name", "");
  const std::string address = app.value("address", "");
  return name.empty() ? address : name + " (" + address + ")";
}

/// The whitelist entry for a relay app: the one written exactly as the app's address or
/// holding exactly the same addresses; null when there is none.
const json* entry_for(const json& entries, const std::string& address, const common::ip_range& range) {
  for (const auto& e : entries) {
    const std::string ip = e.value("ip", "");
    const auto r = common::parse_ip_range(ip);
    if (ip == address || (r && *r == range)) return &e;
  }
  return nullptr;
}

/// A relay app needs a whitelist entry with SMTP Auth Bypass on SMTP; adds the finding and the upsert.
void plan_relay_app(plan& p, const json& entries, const json& app) {
  const std::string address = app.value("address", "");
  const auto range = common::parse_ip_range(address);
  if (!range) {
    finding f;
    f.id = "relay-app-invalid:" + address;
    f.title = "Relay app " + app_label(app) + " has no valid address";
    f.current = app;
    f.remediation = "give the relay app an IP address, CIDR block or a-b range in the profile";
    f.automated = false;
    p.findings.push_back(f);
    return;
  }
  // Already relaying: an entry covering the whole app with SMTP Auth Bypass on SMTP.
  for (const auto& e : entries) {
    const auto r = common::parse_ip_range(e.value("ip", ""));
    if (relays_without_auth(e) && r && common::contains(*r, *range)) return;
  }
  const json* existing = entry_for(entries, address, *range);
  json upsert;
  if (existing != nullptr) {
    json services = existing->value("services", json::array());
    if (!has_service(*existing, "smtp")) services.push_back("smtp");
    upsert = {{"ip", existing->value("ip", address)}, {"services", services}, {"smtp_auth_bypass", true}};
  } else {
    const std::string name = app.value("name", "");
    upsert = {{"ip", address},
              {"description", "smharden relay app" + (name.empty() ? std::string() : ": " + name)},
              {"services", json::array({"smtp"})},
              {"smtp_auth_bypass", true}};
  }
  finding f;
  f.id = "relay-app:" + address;
  f.title = "Relay app " + app_label(app) +
            " has no whitelist entry with SMTP Auth Bypass: it cannot send once Allow Relay is closed";
  f.current = existing != nullptr ? json{{"ip", existing->value("ip", "")},
                                         {"smtp_auth_bypass", existing->value("smtp_auth_bypass", false)},
                                         {"services", existing->value("services", json::array())}}
                                  : json(nullptr);
  f.desired = upsert;
  f.remediation = existing != nullptr
                      ? "apply turns on SMTP Auth Bypass (SMTP) on the whitelist entry " + existing->value("ip", "")
                      : "apply adds a whitelist entry for " + address + " with SMTP Auth Bypass";
  p.findings.push_back(f);
  p.whitelist_upserts.push_back(upsert);
  p.changes.push_back({f.id, "whitelisted relay app " + app_label(app) + " with SMTP Auth Bypass", f.current, upsert});
}

}  // namespace

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

plan make_plan(const json& relay, const json& whitelist, const json& params, const json& relay_apps) {
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
  const json entries = whitelist.value("entries", json::array());
  json allowed = params.value("allowed_bypass_ips", json::array());
  for (const auto& app : relay_apps) {
    plan_relay_app(p, entries, app);
    allowed.push_back(app.value("address", ""));
  }
  const bool clear = params.value("remove_unlisted_bypass", false);
  json unlisted = json::array();
  for (const auto& entry : entries) {
    if (!entry.value("smtp_auth_bypass", false)) continue;
    const std::string ip = entry.value("ip", "");
    if (entry_allowed(ip, allowed)) continue;
    unlisted.push_back(ip);
    finding f;
    f.id = "smtp-auth-bypass:" + ip;
    f.title = "Whitelist entry " + ip + " (" + entry.value("description", "") +
              ") may send without SMTP authentication but is neither a relay app nor in allowed_bypass_ips";
    f.current = {{"ip", ip}, {"smtp_auth_bypass", true}};
    f.desired = {{"ip", ip}, {"smtp_auth_bypass", false}};
    f.automated = clear;
    f.remediation = clear ? "apply clears SMTP Auth Bypass on this whitelist entry (the entry stays)"
                          : "declare " + ip +
                                " as a relay app (access.relay_apps) or in allowed_bypass_ips if it is a trusted "
                                "relay, or clear its SMTP Auth Bypass (Settings > Security > Whitelist) or set "
                                "remove_unlisted_bypass: true";
    p.findings.push_back(f);
    if (clear) {
      p.whitelist_upserts.push_back({{"ip", ip}, {"smtp_auth_bypass", false}});
      p.changes.push_back({f.id, "cleared SMTP Auth Bypass on " + ip, true, false});
    }
  }
  // Closing the relay while other addresses still skip authentication leaves a way around it.
  const bool relay_closed = wanted == "nobody";
  if (relay_closed && !clear && !unlisted.empty()) {
    finding f;
    f.id = "relay-closed-bypass-open";
    f.title = "Allow Relay is closed, but " + std::to_string(unlisted.size()) +
              " whitelist entries that are not declared relay apps still send without SMTP authentication";
    f.severity = "high";
    f.current = unlisted;
    f.desired = json::array();
    f.remediation =
        "these addresses can still relay through the server: declare each legitimate one as a relay app "
        "(access.relay_apps or the sm-relay relay_apps param), clear the bypass on the others "
        "(Settings > Security > Whitelist, SMTP Auth Bypass) or set remove_unlisted_bypass: true";
    f.automated = false;
    p.findings.push_back(f);
  }
  return p;
}

}  // namespace smharden::sm_relay
