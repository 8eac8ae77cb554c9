#include "firewall_policy.hpp"

#include <algorithm>
#include <set>
#include <smharden/common/firewall_listing.hpp>
#include <stdexcept>

namespace smharden::firewall_step {
namespace {

using common::firewall_rule;
using common::ip_range;

const char* const loopback[] = {"127.0.0.0/8", "::1"};

std::vector<ip_range> keep_ranges(const std::vector<std::string>& management) {
  std::vector<ip_range> out;
  for (const char* l : loopback) out.push_back(*common::parse_ip_range(l));
  for (const auto& m : management) {
    const auto r = common::parse_ip_range(m);
    if (!r) {
      throw std::invalid_argument("management entry \"" + m +
                                  "\" is not an address, CIDR or range (fix access.management, management_cidrs or "
                                  "this step's \"management\")");
    }
    out.push_back(*r);
  }
  return common::normalize_ranges(out);
}

std::string port_list(const std::vector<int>& ports) {
  std::string out;
  for (const int p : ports) out += (out.empty() ? "" : ",") + std::to_string(p);
  return out;
}

// Enabled inbound rules that do not read: they may decide a port, so what is reachable is unknown.
std::vector<std::string> unreadable_inbound(const std::vector<firewall_rule>& rules) {
  std::vector<std::string> out;
  for (const auto& r : rules) {
    if (r.enabled && r.direction == "in" && !common::rule_problem(r).empty()) {
      out.push_back("\"" + r.name + "\": " + common::rule_problem(r));
    }
  }
  return out;
}

std::string shorten(const std::string& s) { return s.size() <= 300 ? s : s.substr(0, 297) + "..."; }

finding not_modelled(const json& listing) {
  finding f;
  f.id = "firewall-not-modelled";
  f.title = "The target's Windows Firewall rules are unknown";
  f.current = nullptr;
  f.desired = "rules of group \"smharden\" restricting the admin ports to loopback and management";
  f.remediation = listing.value("reason", "the target does not model its firewall");
  f.automated = false;
  return f;
}

// Findings about the firewall as it is now: exposed ports, uncertainty, unreadable rules.
// With smharden's block rule in place nothing outside `keep` gets through, whatever the other rules say.
void judge_current(const std::vector<firewall_rule>& rules, const std::vector<int>& ports,
                   const std::vector<ip_range>& keep, bool own_in_place, plan& out) {
  const auto unreadable = unreadable_inbound(rules);
  for (const int port : ports) {
    const auto now = common::inbound_tcp_reachable(rules, static_cast<std::uint16_t>(port));
    const auto exposed = common::subtract_ranges(now.ranges, keep);
    if (exposed.empty() && (own_in_place || (!now.uncertain && unreadable.empty()))) continue;
    finding f;
    f.id = "port-" + std::to_string(port) + "-open";
    f.title =
        exposed.empty()
            ? "Who can reach TCP port " + std::to_string(port) + " through Windows Firewall is unknown"
            : "Windows Firewall lets addresses outside loopback and management reach TCP port " + std::to_string(port);
    f.current = exposed.empty() ? json(nullptr) : json(shorten(common::join_ranges(exposed)));
    f.desired = common::join_ranges(keep);
    f.remediation =
        "apply adds an allow rule for loopback and management and a block rule for every other address "
        "(group \"smharden\"; block rules win over allow rules)";
    if (now.uncertain) f.remediation += "; a rule for this port names LocalSubnet, which only the live server resolves";
    for (const auto& u : unreadable) f.remediation += "; unreadable rule " + u;
    out.findings.push_back(std::move(f));
  }
}

// The rules after apply must still let every management range (and loopback) reach every port.
void prove_after(const std::vector<firewall_rule>& after, const std::vector<int>& ports,
                 const std::vector<std::string>& management, const std::vector<ip_range>& keep, plan& out) {
  for (const int port : ports) {
    const auto reach = common::inbound_tcp_reachable(after, static_cast<std::uint16_t>(port));
    for (const auto& k : keep) {
      if (!common::covered_by(k, reach.ranges)) {
        out.refusals.push_back("after the change, " + common::to_string(k) + " could not reach TCP port " +
                               std::to_string(port) +
                               ": a block rule of another group covers it (remove or narrow that rule first)");
      }
    }
    json allow = json::array();
    for (const auto& r : reach.ranges) allow.push_back(common::to_string(r));
    json request = {
        {"allow", allow}, {"default", "deny"}, {"what", "Windows Firewall inbound TCP port " + std::to_string(port)}};
    if (!management.empty()) request["management_cidrs"] = management;
    out.guard_requests.push_back(std::move(request));
  }
}

// Who reaches TCP 9998 through the firewall, as the access guard reads it; unknown when a rule
// that decides it cannot be read or names LocalSubnet.
json port_reach_policy(const std::vector<firewall_rule>& rules, bool unreadable) {
  const auto reach = common::inbound_tcp_reachable(rules, 9998);
  if (unreadable) return {{"unknown", "an enabled inbound firewall rule cannot be read"}};
  if (reach.uncertain) return {{"unknown", "a firewall rule for TCP 9998 names LocalSubnet"}};
  json allow = json::array();
  for (const auto& r : reach.ranges) allow.push_back(common::to_string(r));
  return {{"allow", allow}, {"default", "deny"}};
}

// Other groups' rules stay after apply: one that cannot be read, or a block rule naming LocalSubnet,
// may still take 9998 from some address, so "after" is unknown where "before" is.
json port_access_request(const std::vector<firewall_rule>& now, const std::vector<firewall_rule>& after) {
  const bool unreadable = !unreadable_inbound(now).empty();
  return {{"step", "firewall"},
          {"what", "Windows Firewall inbound TCP 9998"},
          {"surfaces",
           {{"port_9998",
             {{"before", port_reach_policy(now, unreadable)}, {"after", port_reach_policy(after, unreadable)}}}}}};
}

}  // namespace

json with_defaults(const json& params) {
  json p = {{"ports", {9998}}, {"admin_ports", json::array()}, {"management", json::array()}, {"loopback_only", false}};
  if (params.is_object()) {
    for (const auto& [k, v] : params.items()) p[k] = v;
  }
  return p;
}

std::vector<std::string> management_audience(const json& audiences, const json& context_cidrs, const json& params) {
  std::vector<std::string> out;
  const auto add = [&](const json& list) {
    if (!list.is_array()) return;
    for (const auto& e : list) {
      if (e.is_string() && std::find(out.begin(), out.end(), e.get<std::string>()) == out.end()) {
        out.push_back(e.get<std::string>());
      }
    }
  };
  add(audiences.is_object() ? audiences.value("management", json::array()) : context_cidrs);
  add(with_defaults(params)["management"]);
  return out;
}

std::vector<int> restricted_ports(const json& raw_params) {
  const json params = with_defaults(raw_params);
  std::set<int> ports;
  for (const char* key : {"ports", "admin_ports"}) {
    for (const auto& p : params[key]) ports.insert(p.get<int>());
  }
  return {ports.begin(), ports.end()};
}

std::vector<firewall_rule> desired_rules(const std::vector<int>& ports, const std::vector<std::string>& management) {
  const auto keep = keep_ranges(management);
  firewall_rule allow;
  allow.name = allow_rule_name;
  allow.group = rule_group;
  allow.local_ports = port_list(ports);
  allow.remote_addresses = common::join_ranges(keep);
  firewall_rule block = allow;
  block.name = block_rule_name;
  block.action = "block";
  block.remote_addresses = common::join_ranges(common::complement_ranges(keep));
  return {allow, block};
}

plan make_plan(const json& raw_params, const observed& o) {
  const json params = with_defaults(raw_params);
  plan out;
  if (!o.listing.value("modelled", false)) {
    out.findings.push_back(not_modelled(o.listing));
    out.refusals.push_back(out.findings.back().remediation);
    return out;
  }
  const auto ports = restricted_ports(params);
  if (ports.empty()) return out;
  const auto rules = common::rules_of_listing(o.listing);
  const auto keep = keep_ranges(o.management);
  const auto desired = desired_rules(ports, o.management);

  std::vector<firewall_rule> own;
  std::vector<firewall_rule> after;
  for (const auto& r : rules) (r.group == rule_group ? own : after).push_back(r);
  after.insert(after.end(), desired.begin(), desired.end());

  if (std::find(ports.begin(), ports.end(), 9998) != ports.end())
    out.access_request = port_access_request(rules, after);
  judge_current(rules, ports, keep, own == desired, out);
  if (own == desired && out.findings.empty()) return out;
  if (out.findings.empty()) {
    finding f;
    f.id = "smharden-rules";
    f.title = "The firewall rules of group \"smharden\" are not the ones this profile makes";
    f.current = json::array();
    for (const auto& r : own) f.current.push_back(r.name + " (" + r.action + " " + r.local_ports + ")");
    f.desired = std::string(allow_rule_name) + ", " + block_rule_name + " for TCP " + port_list(ports);
    f.remediation = "apply replaces the group's rules";
    out.findings.push_back(std::move(f));
  }
  if (o.management.empty() && !params["loopback_only"].get<bool>()) {
    out.refusals.push_back(
        "no management range is declared, so TCP " + port_list(ports) +
        " would be reachable only from the server itself; declare access.management or management_cidrs in the "
        "profile, or set this step's loopback_only to true");
  }
  prove_after(after, ports, o.management, keep, out);
  for (auto& f : out.findings) {
    for (const auto& r : out.refusals) f.remediation += "; apply refuses: " + r;
  }
  for (const auto& r : own) {
    if (r.name != allow_rule_name && r.name != block_rule_name) out.remove.push_back(r.name);
  }
  for (const auto& d : desired) {
    const auto was = std::find_if(own.begin(), own.end(), [&](const firewall_rule& r) { return r.name == d.name; });
    if (was != own.end() && *was == d) continue;
    out.put.push_back(d);
    out.changes.push_back({d.name, "firewall rule \"" + d.name + "\": " + d.action + " TCP " + d.local_ports,
                           was == own.end() ? json(nullptr) : json(shorten(was->remote_addresses)),
                           shorten(d.remote_addresses)});
  }
  for (const auto& name : out.remove)
    out.changes.push_back({name, "remove stale firewall rule \"" + name + "\"", name, nullptr});
  return out;
}

}  // namespace smharden::firewall_step
