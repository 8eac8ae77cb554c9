// IPv4/IPv6 networks as IIS ipSecurity stores them (ipAddress + subnetMask)
// and as profiles write them ("10.0.0.0/8"), and the containment question
// the lockout guard asks. Small on purpose; the lead may move it to a host
// service (guard.*) later.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace smharden::iis_ip {

struct cidr {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  ///< network address (host bits cleared); IPv4 uses the first 4
  int prefix = 32;

  friend bool operator==(const cidr&, const cidr&) = default;
};

/// "192.0.2.7", "10.0.0.0/8", "::1", "2001:db8::/32"; host bits are cleared.
std::optional<cidr> parse_cidr(std::string_view text);
/// IIS form: ipAddress plus subnetMask ("255.255.0.0", a prefix length "64", or an IPv6 mask).
std::optional<cidr> from_iis(std::string_view ip_address, std::string_view subnet_mask);

/// Every address of `inner` is in `outer`.
bool contains(const cidr& outer, const cidr& inner);
/// The two share at least one address.
bool overlaps(const cidr& a, const cidr& b);

/// "10.0.0.0/8", or just the address for a single host.
std::string to_string(const cidr& c);
std::string address_text(const cidr& c);
/// The IIS subnetMask: dotted for IPv4, the prefix length for IPv6.
std::string iis_mask(const cidr& c);

}  // namespace smharden::iis_ip
