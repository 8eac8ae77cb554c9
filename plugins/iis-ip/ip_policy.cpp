#include "ip_policy.hpp"

#include <smharden/common/access_proof.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "iis_address.hpp"

namespace smharden::iis_ip {

const char* const eas_mapi_warning =
    "With unlisted addresses denied, Exchange ActiveSync (phones) and MAPI/EWS (Outlook) clients that reach "
    "SmarterMail through this site are refused too unless they connect from an allowed range.";

const char* const dynamic_limits_warning =
    "Dynamic IP limits count requests per client address: an office behind one NAT address and phones syncing over "
    "Exchange ActiveSync can exceed them and be blocked. Allow-list every expected address first (offices, NAT "
    "gateways, monitoring), or start with logging_only and read the IIS logs before you enforce.";

namespace {

struct entry {
  std::optional<common::ip_range> range;  // nullopt: a domain-name entry or one that does not parse
  std::string label;                      // "10.0.0.0/8" or the domain / raw text
  bool allowed = false;
};

bool same(const entry& a, const entry& b) {
  return a.allowed == b.allowed && a.range.has_value() == b.range.has_value() &&
         (a.range ? *a.range == *b.range : a.label == b.label);
}

std::string kind(bool allowed) { return allowed ? "allow" : "deny"; }

std::vector<entry> desired_entries(const json& params) {
  std::vector<entry> out;
  // Deny entries first: IIS checks entries top to bottom, so a deny inside an allowed range still wins.
  for (const char* key : {"deny", "allow"}) {
    const json list = params.value(key, json::array());
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string text = list[i].is_string() ? list[i].get<std::string>() : list[i].dump();
      const auto c = common::parse_ip_network(text);
      if (!c) {
        throw std::invalid_argument("params." + std::string(key) + "[" + std::to_string(i) + "]: \"" + text +
                                    "\" is not an IP address or CIDR range (e.g. \"203.0.113.7\" or \"10.0.0.0/8\")");
      }
      out.push_back({c, common::to_string(*c), std::string_view(key) == "allow"});
    }
  }
  return out;
}

std::vector<entry> current_entries(const json& ip_current) {
  std::vector<entry> out;
  for (const json& e : ip_current.value("entries", json::array())) {
    entry x;
    x.allowed = e.value("allowed", false);
    const std::string ip = e.value("ip_address", "");
    if (!ip.empty()) x.range = from_iis(ip, e.value("subnet_mask", ""));
    x.label = x.range
                  ? common::to_string(*x.range)
                  : (ip.empty() ? "domain " + e.value("domain_name", "") : ip + " mask " + e.value("subnet_mask", ""));
    out.push_back(std::move(x));
  }
  return out;
}

json labels(const std::vector<entry>& entries) {
  json out = json::array();
  for (const auto& e : entries) out.push_back(kind(e.allowed) + " " + e.label);
  return out;
}

json iis_entries(const std::vector<entry>& entries) {
  json out = json::array();
  for (const auto& e : entries) {
    out.push_back({{"ip_address", iis_address(*e.range)}, {"subnet_mask", iis_mask(*e.range)}, {"allowed", e.allowed}});
  }
  return out;
}

// The common lockout proof over the entries in IIS order (first match decides).
void lockout_guard(const std::vector<entry>& want, bool allow_unlisted, const json& management_cidrs, plan& p) {
  std::vector<common::written_range> mgmt;
  for (const json& m : management_cidrs) {
    const std::string text = m.is_string() ? m.get<std::string>() : m.dump();
    const auto c = common::parse_ip_network(text);
    if (!c) throw std::invalid_argument("management_cidrs: \"" + text + "\" is not an IP address or CIDR range");
    mgmt.push_back({*c, text});
  }
  if (!allow_unlisted && mgmt.empty()) {
    p.refusals.emplace_back(
        "the profile lists no management_cidrs, so smharden cannot prove the operators keep access; add your "
        "management ranges to \"management_cidrs\" (and to \"allow\") before denying unlisted addresses");
  }
  common::access_policy policy;
  policy.default_allow = allow_unlisted;
  for (const entry& e : want) policy.rules.push_back({{*e.range, e.label}, e.allowed});
  for (const auto& lost : common::find_excluded(mgmt, policy)) {
    p.refusals.push_back("management range " + lost.range + " is " + lost.reason +
                         (lost.deny_rule ? "" : "; add it to \"allow\" or the operators lock themselves out"));
  }
}

// guard.access.check's policy for entries in IIS order and the default; unknown when one is a domain name.
json reach_policy(const std::vector<entry>& entries, bool allow_unlisted) {
  json rules = json::array();
  for (const entry& e : entries) {
    if (!e.range) return {{"unknown", "the entry " + e.label + " is not an address range"}};
    rules.push_back({{"range", e.label}, {"action", kind(e.allowed)}});
  }
  return {{"rules", rules}, {"default", allow_unlisted ? "allow" : "deny"}};
}

json access_request(const json& before, const json& after) {
  json surfaces = json::object();
  for (const char* s : {"webmail", "activesync_mapi", "port_9998", "admin_login"}) {
    surfaces[s] = {{"before", before}, {"after", after}};
  }
  return {{"step", "iis-ip"}, {"what", "the IIS IP restrictions of the SmarterMail site"}, {"surfaces", surfaces}};
}

void plan_ip_security(const json& params, const json& management_cidrs, const json& cur, plan& p) {
  const bool allow_unlisted = params.value("allow_unlisted", true);
  const std::string deny_action = params.value("deny_action", "Forbidden");
  const std::vector<entry> want = desired_entries(params);
  const std::vector<entry> have = current_entries(cur);
  p.access_request =
      access_request(reach_policy(have, cur.value("allow_unlisted", true)), reach_policy(want, allow_unlisted));
  json set = json::object();

  if (cur.value("allow_unlisted", true) != allow_unlisted) {
    finding f;
    f.id = "default-action";
    f.title = allow_unlisted ? "Addresses not listed are denied; the profile allows them"
                             : "Addresses not listed may reach the SmarterMail site";
    f.current = {{"allow_unlisted", cur.value("allow_unlisted", true)}};
    f.desired = {{"allow_unlisted", allow_unlisted}};
    f.remediation = std::string("Set ipSecurity allowUnlisted=\"") + (allow_unlisted ? "true" : "false") +
                    "\" for the site." + (allow_unlisted ? "" : std::string(" ") + eas_mapi_warning);
    p.findings.push_back(f);
    set["allow_unlisted"] = allow_unlisted;
  }
  if (cur.value("deny_action", "Forbidden") != deny_action) {
    p.findings.push_back({"deny-action", "Refused requests get a different response than the profile wants", "",
                          cur.value("deny_action", "Forbidden"), deny_action,
                          "Set ipSecurity denyAction=\"" + deny_action + "\" for the site.", true});
    set["deny_action"] = deny_action;
  }
  const bool entries_same =
      want.size() == have.size() &&
      std::equal(want.begin(), want.end(), have.begin(), [](const entry& a, const entry& b) { return same(a, b); });
  if (!entries_same) {
    bool listed = false;
    for (const entry& w : want) {
      if (std::none_of(have.begin(), have.end(), [&](const entry& h) { return same(h, w); })) {
        p.findings.push_back({"entry-missing:" + kind(w.allowed) + ":" + w.label,
                              "The site's IP restrictions lack the " + kind(w.allowed) + " entry " + w.label, "",
                              nullptr, kind(w.allowed) + " " + w.label,
                              "Add <add ipAddress=\"" + iis_address(*w.range) + "\" subnetMask=\"" +
                                  iis_mask(*w.range) + "\"" + (w.allowed ? " allowed=\"true\"" : "") +
                                  " /> to the site's ipSecurity.",
                              true});
        listed = true;
      }
    }
    for (const entry& h : have) {
      if (std::none_of(want.begin(), want.end(), [&](const entry& w) { return same(h, w); })) {
        p.findings.push_back(
            {"entry-unexpected:" + kind(h.allowed) + ":" + h.label,
             "The site's IP restrictions have a " + kind(h.allowed) + " entry the profile does not list: " + h.label,
             "", kind(h.allowed) + " " + h.label, nullptr, "Remove the entry (apply rewrites the list).", true});
        listed = true;
      }
    }
    if (!listed) {
      p.findings.push_back({"entry-order",
                            "The site's IP restriction entries are in another order (deny entries go first)", "",
                            labels(have), labels(want), "Rewrite the entries in the profile's order.", true});
    }
    set["entries"] = iis_entries(want);
  }
  if (set.empty()) return;
  json rules = json::array();
  for (const entry& w : want) rules.push_back({{"range", w.label}, {"action", kind(w.allowed)}});
  p.guard_request = {{"rules", rules},
                     {"default", allow_unlisted ? "allow" : "deny"},
                     {"what", "the IIS IP restrictions of the SmarterMail site"}};
  lockout_guard(want, allow_unlisted, management_cidrs, p);
  if (!p.refusals.empty()) {
    std::string why;
    for (const auto& r : p.refusals) why += (why.empty() ? "" : "; ") + r;
    p.findings.push_back({"lockout-guard", "Applying these IP restrictions could lock the operators out", "critical",
                          management_cidrs, "every management range allowed", "apply refuses: " + why, false});
  }
  p.ip_security_set = set;
  p.changes.push_back({"ip-security", "IP restrictions of the SmarterMail site", cur, set});
}

/// The dynamic limits the profile wants, with the schema's defaults.
struct wanted_limits {
  bool logging_only = false;
  bool concurrent_on = true;
  long long max_concurrent = 10;
  bool rate_on = true;
  long long max_requests = 30;
  long long interval_ms = 300;
};

wanted_limits wanted(const json& d) {
  const json wc = d.value("deny_by_concurrent_requests", json::object());
  const json wr = d.value("deny_by_request_rate", json::object());
  wanted_limits w;
  w.logging_only = d.value("logging_only", w.logging_only);
  w.concurrent_on = wc.value("enabled", w.concurrent_on);
  w.max_concurrent = wc.value("max_concurrent_requests", w.max_concurrent);
  w.rate_on = wr.value("enabled", w.rate_on);
  w.max_requests = wr.value("max_requests", w.max_requests);
  w.interval_ms = wr.value("request_interval_ms", w.interval_ms);
  return w;
}

/// Why the profile's enforced dynamic limits `w` are not shown to let its clients (`sized`: the
/// dynamic.sized_for param) through, or nullopt when they are (or when nothing is enforced: limits off,
/// or logging-only mode).
std::optional<std::string> sizing_gap(const wanted_limits& w, const json& sized) {
  if (w.logging_only || (!w.concurrent_on && !w.rate_on)) return std::nullopt;
  const long long clients = sized.value("clients_per_address", 0LL);
  if (clients <= 0) {
    return "the profile does not say how many clients share one address (dynamic.sized_for.clients_per_address), "
           "so nothing shows that these limits let its audiences through";
  }
  std::string gap;
  const auto add = [&gap](const std::string& text) { gap += (gap.empty() ? "" : "; ") + text; };
  if (w.concurrent_on) {
    const long long each = sized.value("concurrent_requests_per_client", default_concurrent_per_client);
    const long long have = w.max_concurrent;
    if (have < clients * each) {
      add("max_concurrent_requests " + std::to_string(have) + " is below the " + std::to_string(clients * each) +
          " that " + std::to_string(clients) + " clients behind one address hold (" + std::to_string(each) + " each)");
    }
  }
  if (w.rate_on) {
    const long long per_second = sized.value("requests_per_second_per_client", default_requests_per_second);
    const long long interval = w.interval_ms;
    const long long have = w.max_requests;
    // Requests that `clients` clients send within one interval, rounded up. In double: the product of the
    // schema's maxima does not fit 64 bits before the division (it is at most about 4.3e16 after it).
    const auto need = static_cast<long long>(
        std::ceil(static_cast<double>(clients * per_second) * (static_cast<double>(interval) / 1000.0)));
    if (have < need) {
      add("max_requests " + std::to_string(have) + " per " + std::to_string(interval) + " ms is below the " +
          std::to_string(need) + " that " + std::to_string(clients) + " clients behind one address send (" +
          std::to_string(per_second) + " requests per second each)");
    }
  }
  if (gap.empty()) return std::nullopt;
  return gap;
}

void plan_dynamic(const json& params, const json& cur, plan& p) {
  const json d = params.value("dynamic", json::object());
  if (!d.value("manage", true)) return;
  json set = json::object();
  auto check = [&](const char* id, const char* title, const json& have, const json& want, const char* key,
                   const char* group) {
    if (have == want) return;
    p.findings.push_back(
        {id, title, "", have, want,
         "Set dynamicIpSecurity " + std::string(group ? group : "") + (group ? "." : "") + key + " for the site.",
         true});
    if (group != nullptr) {
      set[group][key] = want;
    } else {
      set[key] = want;
    }
  };
  const json cc = cur.value("deny_by_concurrent_requests", json::object());
  const json rr = cur.value("deny_by_request_rate", json::object());
  const wanted_limits w = wanted(d);
  check("dynamic-deny-action", "Dynamic IP restrictions answer blocked clients differently than the profile wants",
        cur.value("deny_action", "Forbidden"), d.value("deny_action", "Forbidden"), "deny_action", nullptr);
  check("dynamic-logging-only", "Dynamic IP restrictions logging-only mode differs from the profile",
        cur.value("enable_logging_only_mode", false), w.logging_only, "enable_logging_only_mode", nullptr);
  check("dynamic-concurrent-enabled", "Blocking by concurrent requests is not as the profile wants",
        cc.value("enabled", false), w.concurrent_on, "enabled", "deny_by_concurrent_requests");
  if (w.concurrent_on) {
    check("dynamic-concurrent-limit", "The concurrent-request limit differs from the profile",
          cc.value("max_concurrent_requests", 5LL), w.max_concurrent, "max_concurrent_requests",
          "deny_by_concurrent_requests");
  }
  check("dynamic-rate-enabled", "Blocking by request rate is not as the profile wants", rr.value("enabled", false),
        w.rate_on, "enabled", "deny_by_request_rate");
  if (w.rate_on) {
    check("dynamic-rate-max-requests", "The request-rate limit (requests per interval) differs from the profile",
          rr.value("max_requests", 20LL), w.max_requests, "max_requests", "deny_by_request_rate");
    check("dynamic-rate-interval", "The request-rate interval differs from the profile",
          rr.value("request_interval_ms", 200LL), w.interval_ms, "request_interval_ms", "deny_by_request_rate");
  }
  if (set.empty()) return;
  if (const auto gap = sizing_gap(w, d.value("sized_for", json::object()))) {
    // Limits that may block an office or a phone are the operator's call, not apply's.
    for (finding& f : p.findings) {
      if (!f.id.starts_with("dynamic-")) continue;
      f.automated = false;
      f.remediation = "Not automated: " + *gap + ". " + f.remediation + " " + dynamic_limits_warning;
    }
    return;
  }
  p.dynamic_set = set;
  p.changes.push_back({"dynamic-ip-security", "Dynamic IP restrictions of the SmarterMail site", cur, set});
}

finding feature_missing(const char* id, const char* module) {
  return {id,
          std::string("IIS \"IP and Domain Restrictions\" is not installed (no ") + module + " in globalModules)",
          "",
          {{"installed", false}},
          {{"installed", true}},
          "Install the IIS role service \"IP and Domain Restrictions\" (Server Manager > Web Server (IIS) > Security, "
          "or PowerShell: Install-WindowsFeature Web-IP-Security), then run apply again. Until then IIS ignores "
          "these settings.",
          false};
}

}  // namespace

plan make_plan(const json& params, const json& management_cidrs, const json& modules, const json& ip_current,
               const json& dynamic_current) {
  plan p;
  if (!modules.value("ip_restriction_installed", false)) {
    p.feature_missing = true;
    p.findings.push_back(feature_missing("feature-not-installed", "IpRestrictionModule"));
    return p;
  }
  plan_ip_security(params, management_cidrs, ip_current, p);
  if (params.value("dynamic", json::object()).value("manage", true) &&
      !modules.value("dynamic_ip_restriction_installed", false)) {
    p.feature_missing = true;
    p.findings.push_back(feature_missing("dynamic-feature-not-installed", "DynamicIpRestrictionModule"));
    return p;
  }
  plan_dynamic(params, dynamic_current, p);
  return p;
}

}  // namespace smharden::iis_ip
