#include "services/lab/lab_reachability.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <smharden/common/binding_information.hpp>
#include <smharden/common/firewall_listing.hpp>
#include <smharden/common/ip_range.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/ascii_lower.hpp"
#include "services/url_policy.hpp"

namespace smharden::services::lab {
namespace {

using common::ip_range;

/// The lab cannot decide the answer (a setting it does not model): an error in the answer, never a pass.
class undecided : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

json call(const registry& methods, const char* name, const json& params = json::object()) {
  const method* m = methods.find(name);
  if (m == nullptr) throw undecided(fmt::format("this lab has no {}", name));
  return m->invoke(params);
}

bool is_single_address(const ip_range& r) { return common::prefix_length(r) == (r.is_v6() ? 128U : 32U); }

std::optional<ip_range> address_of(const std::string& text) {
  auto r = common::parse_ip_network(text);
  if (!r || !is_single_address(*r)) return std::nullopt;
  return r;
}

ip_range source_address(const json& params) {
  const std::string from = require_string(params, "from");
  const auto r = address_of(from);
  if (!r) throw service_error("invalid_params", fmt::format("from: \"{}\" is not one IPv4 or IPv6 address", from));
  return *r;
}

bool is_loopback(const ip_range& a) {
  static const ip_range v4 = *common::parse_ip_network("127.0.0.0/8");
  static const ip_range v6 = *common::parse_ip_network("::1");
  return common::contains(v4, a) || common::contains(v6, a);
}

std::string text_of(const ip_range& a) { return common::to_string(a); }

/// What the Windows Firewall lets through to TCP `port` from `from`; loopback traffic is not filtered.
/// Returns why nothing answers, or nullopt when the connection passes.
std::optional<std::string> firewall_verdict(const registry& methods, const ip_range& from, int port, json& path) {
  if (is_loopback(from)) {
    path.push_back("the Windows Firewall does not filter loopback traffic");
    return std::nullopt;
  }
  const json listing = call(methods, "windows.firewall.rules.list");
  if (!listing.value("modelled", false)) {
    throw undecided(listing.value("reason", std::string("the lab does not model its Windows Firewall")));
  }
  const std::vector<common::firewall_rule> rules = common::rules_of_listing(listing);
  for (const auto& r : rules) {
    if (r.enabled && r.direction == "in" && !common::rule_problem(r).empty()) {
      throw undecided(fmt::format("firewall rule \"{}\" does not read: {}", r.name, common::rule_problem(r)));
    }
  }
  const auto reachable = common::inbound_tcp_reachable(rules, static_cast<std::uint16_t>(port));
  if (reachable.uncertain) {
    throw undecided(
        fmt::format("a firewall rule for TCP port {} names LocalSubnet, which only the server resolves", port));
  }
  if (!common::covered_by(from, reachable.ranges)) {
    return fmt::format("the Windows Firewall drops TCP port {} from {} (a block rule, or no allow rule)", port,
                       text_of(from));
  }
  path.push_back(fmt::format("the Windows Firewall allows TCP port {} from {}", port, text_of(from)));
  return std::nullopt;
}

/// Where the URL leads: a loopback address, a literal address, or a host name (the lab's DNS answers
/// every name with the server's public address).
struct destination {
  bool loopback = false;
  std::optional<ip_range> literal;
};

destination destination_of(const std::string& host) {
  if (const auto literal = address_of(host)) return {is_loopback(*literal), literal};
  return {util::ascii_lower(host) == "localhost", std::nullopt};
}

struct site_binding {
  std::string site;
  std::string ip;  ///< "*", "127.0.0.1", "::1", ...
  std::string host;
};

/// "IP:port:host" -> the binding, when the protocol and port are the URL's and it listens where the URL leads.
std::optional<site_binding> listening(const std::string& site, const json& b, const url_parts& url,
                                      const destination& to) {
  if (util::ascii_lower(b.value("protocol", "")) != url.scheme) return std::nullopt;
  const std::string info = b.value("binding_information", "");
  const auto parts = common::split_binding_information(info);
  if (!parts || parts->port != std::to_string(url.port)) return std::nullopt;
  std::string ip(parts->ip);
  if (ip.size() > 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
  if (ip != "*") {
    const auto bound = address_of(ip);
    if (!bound) return std::nullopt;
    if (is_loopback(*bound) != to.loopback) return std::nullopt;
    if (to.literal && !(*to.literal == *bound)) return std::nullopt;
  }
  return site_binding{site, ip, std::string(parts->host)};
}

/// IIS picks the most specific binding: a host name before none, an address before "*".
int specificity(const site_binding& b) { return (b.host.empty() ? 0 : 2) + (b.ip == "*" ? 0 : 1); }

/// The HTTP status of a denied request, or 0 when the connection is dropped (AbortRequest).
int deny_status(const std::string& action) {
  if (action == "Unauthorized") return 401;
  if (action == "NotFound") return 404;
  if (action == "AbortRequest") return 0;
  return 403;
}

/// IIS ipSecurity of the site for one address: the inherited entries, then the site's, first match wins.
/// Returns the deny action when the address is denied, nullopt when it is allowed.
std::optional<std::string> ip_security_verdict(const registry& methods, const std::string& site, const ip_range& from,
                                               json& path) {
  const json sec = call(methods, "iis.ip_security.get", {{"site", site}});
  json entries = sec.value("inherited_entries", json::array());
  for (const json& e : sec.value("entries", json::array())) entries.push_back(e);
  for (const json& e : entries) {
    const std::string ip = e.value("ip_address", "");
    if (ip.empty()) {
      throw undecided(fmt::format("ipSecurity entry for domain \"{}\" needs reverse DNS, which the lab does not model",
                                  e.value("domain_name", "")));
    }
    const std::string mask = e.value("subnet_mask", "255.255.255.255");
    auto range = common::parse_ip_range(ip + "/" + mask);
    if (!range && (mask == "255.255.255.255" || mask.empty())) range = common::parse_ip_network(ip);
    if (!range) throw undecided(fmt::format("ipSecurity entry {}/{} does not read as a range", ip, mask));
    if (!common::contains(*range, from)) continue;
    const bool allowed = e.value("allowed", false);
    path.push_back(fmt::format("IIS ipSecurity of {}: entry {} ({}) {} {}", site, ip, mask,
                               allowed ? "allows" : "denies", text_of(from)));
    if (allowed) return std::nullopt;
    return sec.value("deny_action", std::string("Forbidden"));
  }
  const bool unlisted = sec.value("allow_unlisted", true);
  path.push_back(fmt::format("IIS ipSecurity of {}: no entry matches {}, unlisted addresses are {}", site,
                             text_of(from), unlisted ? "allowed" : "denied"));
  if (unlisted) return std::nullopt;
  return sec.value("deny_action", std::string("Forbidden"));
}

/// Whether the administrator (`admin`, else the primary one) may sign in from `from`; why not, or nullopt.
std::optional<std::string> admin_login_verdict(const registry& methods, const json& params, const ip_range& from,
                                               json& path) {
  const json admins = call(methods, "smartermail.admins.list").value("admins", json::array());
  const std::string wanted = params.value("admin", "");
  const auto it = std::find_if(admins.begin(), admins.end(), [&](const json& a) {
    return wanted.empty() ? a.value("primary", false)
                          : util::ascii_lower(a.value("username", "")) == util::ascii_lower(wanted);
  });
  if (it == admins.end()) {
    throw undecided(wanted.empty() ? std::string("SmarterMail has no primary administrator")
                                   : fmt::format("SmarterMail has no administrator \"{}\"", wanted));
  }
  const std::string name = it->value("username", "");
  if (!it->value("restrict_login_by_ip", false)) {
    path.push_back(fmt::format("SmarterMail: administrator {} may sign in from any address", name));
    return std::nullopt;
  }
  for (const json& rule : it->value("ip_rules", json::array())) {
    const std::string ip = rule.value("ip", "");
    const auto range = common::parse_ip_range(ip);
    if (!range) throw undecided(fmt::format("administrator {}'s login rule \"{}\" does not read as a range", name, ip));
    if (common::contains(*range, from)) {
      path.push_back(
          fmt::format("SmarterMail: administrator {} may sign in from {} (rule {})", name, text_of(from), ip));
      return std::nullopt;
    }
  }
  return fmt::format(
      "SmarterMail refuses administrator {}'s sign-in from {}: login is restricted by IP and no rule "
      "covers it",
      name, text_of(from));
}

json finish(json out, const std::exception& e) {
  out["ok"] = false;
  out["error"] = fmt::format("the lab cannot decide: {}", e.what());
  return out;
}

}  // namespace

json reach_http(const registry& methods, const json& params) {
  const std::string text = require_string(params, "url");
  url_parts url;
  try {
    url = parse_url(text);
  } catch (const url_refused& e) {
    throw service_error("invalid_params", fmt::format("url: {}", e.what()));
  }
  const ip_range from = source_address(params);
  const json expect = params.value("expect_status", json::array({200, 302}));
  if (!expect.is_array() || expect.empty() ||
      !std::all_of(expect.begin(), expect.end(), [](const json& s) { return s.is_number_integer(); })) {
    throw service_error("invalid_params", "expect_status must be a non-empty array of HTTP status codes");
  }
  json out = {{"ok", false},       {"url", url.without_credentials}, {"from", text_of(from)}, {"answered", false},
              {"status", nullptr}, {"path", json::array()}};
  json& path = out["path"];
  try {
    const destination to = destination_of(url.host);
    if (to.loopback && !is_loopback(from)) {
      out["error"] = fmt::format("{} is the server's loopback address: only the server itself reaches it", url.host);
      return out;
    }
    if (const auto dropped = firewall_verdict(methods, from, url.port, path)) {
      out["error"] = *dropped;
      return out;
    }
    std::vector<site_binding> bound;
    for (const json& b : call(methods, "iis.bindings.on_port", {{"port", url.port}}).value("bindings", json::array())) {
      if (auto hit = listening(b.value("site", ""), b, url, to)) bound.push_back(std::move(*hit));
    }
    if (bound.empty()) {
      out["error"] = fmt::format("nothing listens for {} on port {} where {} leads (no IIS binding)", url.scheme,
                                 url.port, url.host);
      return out;
    }
    std::vector<site_binding> named;
    std::copy_if(bound.begin(), bound.end(), std::back_inserter(named), [&](const site_binding& b) {
      return b.host.empty() || util::ascii_lower(b.host) == util::ascii_lower(url.host);
    });
    out["answered"] = true;
    if (named.empty()) {
      out["status"] = 400;
      out["error"] =
          fmt::format("HTTP.sys answers 400 (Invalid Hostname): no binding on port {} for host {}", url.port, url.host);
      return out;
    }
    const site_binding chosen = *std::max_element(
        named.begin(), named.end(), [](const auto& a, const auto& b) { return specificity(a) < specificity(b); });
    out["site"] = chosen.site;
    path.push_back(
        fmt::format("IIS binding {}/{}:{}:{} of site {}", url.scheme, chosen.ip, url.port, chosen.host, chosen.site));
    if (const auto denied = ip_security_verdict(methods, chosen.site, from, path)) {
      const int status = deny_status(*denied);
      out["answered"] = status != 0;
      if (status != 0) out["status"] = status;
      out["error"] = status == 0 ? fmt::format("IIS drops the request from {} (denyAction AbortRequest)", text_of(from))
                                 : fmt::format("IIS denies {} with {} (denyAction {})", text_of(from), status, *denied);
      return out;
    }
    path.push_back("dynamic IP limits: one request stays under them");
    out["status"] = 200;
    if (params.value("admin_login", false)) {
      if (const auto refused = admin_login_verdict(methods, params, from, path)) {
        out["error"] = *refused;
        return out;
      }
    }
    out["ok"] = std::any_of(expect.begin(), expect.end(), [](const json& s) { return s.get<int>() == 200; });
    if (!out["ok"].get<bool>()) out["error"] = fmt::format("answered 200 (expected {})", expect.dump());
    return out;
  } catch (const undecided& e) {
    return finish(std::move(out), e);
  } catch (const service_error& e) {
    return finish(std::move(out), e);
  }
}

json reach_smtp_relay(const registry& methods, const json& params) {
  const ip_range from = source_address(params);
  json out = {{"ok", false}, {"from", text_of(from)}, {"path", json::array()}};
  json& path = out["path"];
  try {
    if (const auto dropped = firewall_verdict(methods, from, 25, path)) {
      out["error"] = *dropped;
      return out;
    }
    const std::string relay = call(methods, "smartermail.relay.get").value("allow_relay", "");
    if (relay == "anyone") {
      path.push_back("SmarterMail: Allow Relay is \"anyone\"");
      out["ok"] = true;
      return out;
    }
    if (relay != "nobody") {
      throw undecided(fmt::format(
          "Allow Relay is \"{}\": whether a sender without SMTP authentication may relay depends on its domains",
          relay));
    }
    for (const json& e : call(methods, "smartermail.whitelist.get").value("entries", json::array())) {
      const json services = e.value("services", json::array());
      if (!e.value("smtp_auth_bypass", false) ||
          std::find(services.begin(), services.end(), "smtp") == services.end()) {
        continue;
      }
      const std::string ip = e.value("ip", "");
      const auto range = common::parse_ip_range(ip);
      if (!range)
        throw undecided(fmt::format("whitelist entry \"{}\" bypasses SMTP authentication but is not a range", ip));
      if (common::contains(*range, from)) {
        path.push_back(
            fmt::format("SmarterMail: Allow Relay is \"nobody\"; whitelist entry {} bypasses SMTP "
                        "authentication for {}",
                        ip, text_of(from)));
        out["ok"] = true;
        return out;
      }
    }
    out["error"] = fmt::format(
        "SmarterMail makes {} authenticate: Allow Relay is \"nobody\" and no whitelist entry "
        "with SMTP auth bypass covers it",
        text_of(from));
    return out;
  } catch (const undecided& e) {
    return finish(std::move(out), e);
  } catch (const service_error& e) {
    return finish(std::move(out), e);
  }
}

}  // namespace smharden::services::lab
