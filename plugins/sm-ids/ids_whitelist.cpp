#include "ids_whitelist.hpp"

#include <smharden/common/ip_range.hpp>

#include <algorithm>

namespace smharden::sm_ids {
namespace {

struct wanted_address {
  std::string address;
  std::string why;  ///< "management" or "relay app: CRM"
};

/// The IDS does not block internal or loopback addresses, so they need no entry.
bool never_blocked(const common::ip_range& r) {
  for (const char* text : {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "::1"}) {
    const auto internal = common::parse_ip_range(text);
    if (internal && common::contains(*internal, r)) return true;
  }
  return false;
}

bool too_wide(const common::ip_range& r) {
  if (!r.is_v6()) return r.last.low - r.first.low >= 65536;  // wider than a /16
  return r.last.high - r.first.high > 0xFFFF;                // wider than a /48
}

finding base_finding(const wanted_address& w) {
  finding f;
  f.id = "brute-force-bypass:" + w.address;
  f.severity = "medium";
  return f;
}

void plan_address(whitelist_plan& p, const json& entries, bool exposed, const wanted_address& w) {
  const auto range = common::parse_ip_range(w.address);
  if (!range || never_blocked(*range)) return;  // unparseable ranges are reported by the steps that use them
  if (too_wide(*range)) {
    finding f = base_finding(w);
    f.title = "The " + w.why + " range " + w.address + " is too wide to bypass the IDS brute-force rules";
    f.current = w.address;
    f.remediation =
        "whitelist only the addresses the operators and applications use (at most a /16 for IPv4, "
        "a /48 for IPv6) with the Brute Force bypass, in Settings > Security > Whitelist";
    f.automated = false;
    p.findings.push_back(f);
    return;
  }
  const json* exact = nullptr;
  for (const auto& e : entries) {
    const auto r = common::parse_ip_range(e.value("ip", ""));
    if (!r) continue;
    if (e.value("brute_force_bypass", json(false)) == true && common::contains(*r, *range)) return;  // covered
    if (*r == *range || e.value("ip", "") == w.address) exact = &e;
  }
  finding f = base_finding(w);
  f.title = "The " + w.why + " address " + w.address +
            " can be blocked by the IDS brute-force rules: no whitelist entry with the Brute Force bypass";
  f.current = exact != nullptr ? json{{"ip", exact->value("ip", "")},
                                      {"brute_force_bypass", exact->value("brute_force_bypass", json(nullptr))}}
                               : json(nullptr);
  if (!exposed || (exact != nullptr && exact->value("brute_force_bypass", json(nullptr)).is_null())) {
    f.remediation = "this server's whitelist entries do not show the Brute Force bypass to the API: add " + w.address +
                    " in Settings > Security > Whitelist with Brute Force checked (or map the field "
                    "ip_entry.brute_force_bypass in target.json)";
    f.automated = false;
    p.findings.push_back(f);
    return;
  }
  json upsert;
  if (exact != nullptr) {
    upsert = {{"ip", exact->value("ip", "")}, {"brute_force_bypass", true}};
    f.remediation = "apply turns on the Brute Force bypass of the whitelist entry " + exact->value("ip", "");
  } else {
    upsert = {{"ip", w.address},
              {"description", "smharden " + w.why},
              {"services", json::array()},
              {"brute_force_bypass", true}};
    f.remediation = "apply adds a whitelist entry for " + w.address + " with only the Brute Force bypass";
  }
  f.desired = upsert;
  p.findings.push_back(f);
  p.upserts.push_back(upsert);
  p.changes.push_back(
      {f.id, "whitelisted " + w.address + " (" + w.why + ") with the Brute Force bypass", f.current, upsert});
}

}  // namespace

std::string recovery_text() {
  return "If a legitimate address is blocked anyway: lift the block with `smharden smartermail unblock ADDRESS "
         "--target ...` (or Settings > Security > IDS Blocks, Unblock), then keep it from being blocked again by "
         "whitelisting it with the Brute Force bypass (Settings > Security > Whitelist); sm-ids does that for the "
         "management and relay-app addresses.";
}

whitelist_plan make_whitelist_plan(const json& whitelist, const json& audiences) {
  whitelist_plan p;
  const json entries = whitelist.value("entries", json::array());
  bool exposed = false;
  for (const auto& e : entries) exposed = exposed || e.value("brute_force_bypass", json(nullptr)).is_boolean();
  std::vector<wanted_address> wanted;
  for (const auto& m : audiences.value("management", json::array())) {
    if (m.is_string()) wanted.push_back({m.get<std::string>(), "management"});
  }
  for (const auto& app : audiences.value("relay_apps", json::array())) {
    const std::string name = app.value("name", "");
    wanted.push_back({app.value("address", ""), "relay app" + (name.empty() ? std::string() : " " + name)});
  }
  std::vector<std::string> seen;
  for (const auto& w : wanted) {
    if (std::find(seen.begin(), seen.end(), w.address) != seen.end()) continue;
    seen.push_back(w.address);
    plan_address(p, entries, exposed, w);
  }
  return p;
}

}  // namespace smharden::sm_ids
