// IPv4/IPv6 addresses and CIDR blocks as written in profiles
// ("203.0.113.7", "10.0.0.0/8", "2001:db8::/32").
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace smharden::core {

struct ip_network {
  bool is_v6 = false;
  std::array<std::uint8_t, 16> bytes{};  ///< IPv4 uses the first 4
  unsigned prefix = 0;                   ///< 32/128 for a single address

  /// True when `other` lies entirely inside this network.
  bool contains(const ip_network& other) const;
};

/// Parses an address or "address/prefix". Dotted quads must not have leading
/// zeros (ambiguous: some tools read them as octal); IPv6 zone ids are refused.
std::optional<ip_network> parse_ip_network(std::string_view text);

}  // namespace smharden::core
