#include "binding_policy.hpp"

#include <smharden/common/binding_information.hpp>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>
#include <utility>

namespace smharden::iis_bindings {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string label(const json& b) { return b.value("protocol", "") + "/" + b.value("binding_information", ""); }

bool same(const json& a, const json& b) {
  return lower(a.value("protocol", "")) == lower(b.value("protocol", "")) &&
         lower(a.value("binding_information", "")) == lower(b.value("binding_information", ""));
}

// "IP:port:host" -> the IP part ("*", "127.0.0.1", "[::1]") and the port; nullopt when it does not split.
std::optional<std::pair<std::string, int>> address_and_port(const std::string& info) {
  const auto parts = common::split_binding_information(info);
  if (!parts) return std::nullopt;
  const std::string port(parts->port);
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::make_pair(std::string(parts->ip), std::stoi(port));
}

// The loopback address a binding listens on ("127.0.0.1", "::1"), or "" for any other address.
std::string loopback_of(const std::string& address) {
  if (address.starts_with("127.")) return address;
  if (address == "[::1]") return "::1";
  return "";
}

}  // namespace

json reach_policy(const json& bindings, std::optional<int> port) {
  json loopback = json::array();
  for (const json& b : bindings) {
    const auto split = address_and_port(b.value("binding_information", ""));
    if (!split) return {{"unknown", "binding " + label(b) + " is not IP:port:host"}};
    if (port && split->second != *port) continue;
    const std::string lo = loopback_of(split->first);
    if (lo.empty()) return {{"default", "allow"}};
    if (std::find(loopback.begin(), loopback.end(), lo) == loopback.end()) loopback.push_back(lo);
  }
  return {{"allow", loopback}, {"default", "deny"}};
}

json access_request(const json& current, const json& after) {
  json surfaces = json::object();
  for (const char* s : {"webmail", "activesync_mapi", "admin_login"}) {
    surfaces[s] = {{"before", reach_policy(current)}, {"after", reach_policy(after)}};
  }
  surfaces["port_9998"] = {{"before", reach_policy(current, 9998)}, {"after", reach_policy(after, 9998)}};
  return {{"step", "iis-bindings"}, {"what", "the bindings of the SmarterMail site"}, {"surfaces", surfaces}};
}

bool is_catch_all(const json& binding) {
  const std::string info = binding.value("binding_information", "");
  return info.starts_with("*:") && info.back() == ':' && info.find(':', 2) == info.size() - 1;
}

plan make_plan(const json& params, const json& current) {
  const json allowed = params.value("allowed", json::array());
  if (allowed.empty()) {
    throw std::invalid_argument(
        "params.allowed is empty: a site without bindings serves nothing; list at least one binding (e.g. "
        "{\"protocol\": \"http\", \"binding_information\": \"127.0.0.1:9998:\"})");
  }
  plan p;
  json want = json::array();
  std::vector<int> listed_ports;
  for (const json& a : allowed) {
    json b = {{"protocol", a.value("protocol", "http")}, {"binding_information", a.value("binding_information", "")}};
    if (a.contains("ssl_flags")) b["ssl_flags"] = a["ssl_flags"];
    if (const auto split = address_and_port(b["binding_information"].get<std::string>())) {
      listed_ports.push_back(split->second);
    }
    want.push_back(std::move(b));
  }
  if (params.value("scope", std::string("site")) == "listed_ports") {
    // Only the ports "allowed" names are governed: the site's bindings on other ports (the public
    // webmail bindings with their certificates) stay as they are, in front of the allowed ones.
    json kept = json::array();
    for (const json& have : current) {
      const auto split = address_and_port(have.value("binding_information", ""));
      if (split && std::find(listed_ports.begin(), listed_ports.end(), split->second) == listed_ports.end()) {
        kept.push_back(have);
      }
    }
    for (json& w : want) kept.push_back(std::move(w));
    want = std::move(kept);
  }
  bool differs = false;
  for (const json& have : current) {
    if (std::any_of(want.begin(), want.end(), [&](const json& w) { return same(have, w); })) continue;
    differs = true;
    finding f;
    f.id = "binding-unexpected:" + label(have);
    f.title = is_catch_all(have)
                  ? "The SmarterMail site answers on every address (catch-all binding " + label(have) + ")"
                  : "The SmarterMail site has a binding the profile does not allow: " + label(have);
    f.current = have;
    f.desired = want;
    f.remediation =
        "Remove the binding " + label(have) + " (apply replaces the site's bindings with the allowed ones).";
    p.findings.push_back(f);
  }
  for (const json& w : want) {
    const auto have = std::find_if(current.begin(), current.end(), [&](const json& h) { return same(h, w); });
    if (have == current.end()) {
      differs = true;
      p.findings.push_back({"binding-missing:" + label(w), "The SmarterMail site lacks the allowed binding " + label(w),
                            "", nullptr, w, "Add the binding " + label(w) + ".", true});
    } else if (w.contains("ssl_flags") && have->value("ssl_flags", 0LL) != w["ssl_flags"]) {
      differs = true;
      p.findings.push_back({"binding-ssl-flags:" + label(w), "The binding " + label(w) + " has other sslFlags", "",
                            have->value("ssl_flags", 0LL), w["ssl_flags"], "Set sslFlags on the binding.", true});
    }
  }
  if (differs) {
    p.bindings = want;
    p.changes.push_back({"bindings", "bindings of the SmarterMail site", current, want});
  }
  return p;
}

}  // namespace smharden::iis_bindings
