// Windows Firewall inbound rules as data, and what they let through: which
// remote addresses may open a TCP connection to a local port. Windows
// semantics (inbound default block): a connection is allowed iff some
// enabled inbound allow rule matches it and no enabled inbound block rule
// does. Shared by the firewall step, the lab's firewall backend and the
// lab's reachability model; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <smharden/common/ip_range.hpp>

namespace smharden::common {

struct firewall_rule {
  std::string name;
  std::string group;
  bool enabled = true;
  std::string direction = "in";        ///< "in" | "out"
  std::string action = "allow";        ///< "allow" | "block"
  std::string protocol = "tcp";        ///< "tcp" | "udp" | "any"
  std::string local_ports = "*";       ///< "*" or "80,443,9990-9999"
  std::string remote_addresses = "*";  ///< "*" or addresses, CIDRs, ranges, "LocalSubnet", comma separated
  friend bool operator==(const firewall_rule&, const firewall_rule&) = default;
};

struct port_range {
  std::uint16_t first = 0;
  std::uint16_t last = 0;
};

/// "*" (every port) or a comma list of ports and ranges; nullopt when a piece does not parse.
std::optional<std::vector<port_range>> parse_port_list(std::string_view text);
bool port_in(const std::vector<port_range>& ports, std::uint16_t port);

/// A rule's remote addresses: the ranges, and whether "LocalSubnet" (which
/// only the live machine can resolve) is among them. "*" is 0.0.0.0/0 and ::/0.
struct remote_set {
  std::vector<ip_range> ranges;
  bool local_subnet = false;
};
/// nullopt when a piece is not an address, CIDR, range, "*" or "LocalSubnet".
std::optional<remote_set> parse_remote_addresses(std::string_view text);

/// Why a rule cannot be read ("local_ports \"x\" ..."), or "" when it is well formed.
std::string rule_problem(const firewall_rule& rule);

/// The remote addresses that may connect to TCP `port`, as disjoint sorted ranges.
struct reachable_set {
  std::vector<ip_range> ranges;
  /// A rule that decides for this port names "LocalSubnet": the answer is incomplete.
  bool uncertain = false;
};
/// Rules that do not parse are skipped; call rule_problem first to fail closed.
reachable_set inbound_tcp_reachable(const std::vector<firewall_rule>& rules, std::uint16_t port);

/// Disjoint, sorted, merged form of `ranges` (adjacent pieces joined).
std::vector<ip_range> normalize_ranges(std::vector<ip_range> ranges);
/// Every address of both families not in `ranges`, as disjoint sorted ranges.
std::vector<ip_range> complement_ranges(const std::vector<ip_range>& ranges);
/// `a` minus `b`.
std::vector<ip_range> subtract_ranges(const std::vector<ip_range>& a, const std::vector<ip_range>& b);
/// "127.0.0.1,::1,203.0.113.0/24": the ranges in the firewall's comma form.
std::string join_ranges(const std::vector<ip_range>& ranges);

}  // namespace smharden::common
