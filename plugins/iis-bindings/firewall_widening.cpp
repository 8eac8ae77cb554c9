#include "firewall_widening.hpp"

#include <smharden/common/access_proof.hpp>
#include <smharden/common/firewall_listing.hpp>

#include <cstdint>
#include <optional>

namespace smharden::iis_bindings {
namespace {

// "127.0.0.1:9998:" or "[::1]:9998:" -> 9998; nullopt for any other binding.
std::optional<int> loopback_port(const json& binding) {
  const std::string info = binding.value("binding_information", "");
  std::string rest;
  for (const char* prefix : {"127.0.0.1:", "[::1]:"}) {
    if (info.rfind(prefix, 0) == 0) rest = info.substr(std::string(prefix).size());
  }
  if (rest.empty() || rest.back() != ':') return std::nullopt;
  rest.pop_back();
  if (rest.empty() || rest.size() > 5 || rest.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  const int port = std::stoi(rest);
  return port >= 1 && port <= 65535 ? std::optional<int>(port) : std::nullopt;
}

// Why the firewall does not prove that nobody outside `permitted` reaches `port` and all of `management`
// does, or "".
std::string firewall_gap(const json& listing, int port, const std::vector<common::ip_range>& permitted,
                         const std::vector<common::ip_range>& management) {
  if (!listing.is_object() || !listing.value("modelled", false)) return "the target's firewall rules are unknown";
  const auto rules = common::rules_of_listing(listing);
  for (const auto& r : rules) {
    if (r.enabled && r.direction == "in" && !common::rule_problem(r).empty()) {
      return "the firewall rule \"" + r.name + "\" cannot be read";
    }
  }
  const auto reach = common::inbound_tcp_reachable(rules, static_cast<std::uint16_t>(port));
  if (reach.uncertain) return "a firewall rule for the port names LocalSubnet";
  for (const auto& r : reach.ranges) {
    if (!common::covered_by(r, permitted)) {
      return "the Windows Firewall lets " + common::to_string(r) + " reach it";
    }
  }
  for (const auto& m : management) {
    if (!common::covered_by(m, reach.ranges))
      return "the Windows Firewall does not let " + common::to_string(m) + " in";
  }
  return "";
}

}  // namespace

widening widen_behind_firewall(const json& params, const std::vector<std::string>& management, const json& listing) {
  widening out{params, {}};
  if (!params.value("catch_all_behind_firewall", false) || !params.contains("allowed")) return out;
  std::vector<common::ip_range> management_ranges;
  for (const std::string& m : management) {
    if (const auto r = common::parse_written_range(m)) management_ranges.push_back(r->range);
  }
  if (management_ranges.empty()) return out;  // nobody but the server needs the port: the loopback binding is right
  std::vector<common::ip_range> permitted = management_ranges;
  permitted.push_back(*common::parse_ip_range("127.0.0.0/8"));
  permitted.push_back(*common::parse_ip_range("::1"));
  for (json& b : out.params["allowed"]) {
    const auto port = loopback_port(b);
    if (!port) continue;
    const std::string port_text = std::to_string(*port);
    const std::string gap = firewall_gap(listing, *port, permitted, management_ranges);
    if (gap.empty()) {
      b["binding_information"] = "*:" + port_text + ":";
      continue;
    }
    out.notes.push_back("port " + port_text + " stays bound to loopback only (" + b.value("binding_information", "") +
                        "), so the management audience cannot reach it: " + gap +
                        "; apply the firewall step to restrict TCP " + port_text +
                        " to loopback and management, and iis-bindings then binds *:" + port_text + ": behind it");
  }
  return out;
}

}  // namespace smharden::iis_bindings
