// IPv4 and IPv6 addresses, CIDR blocks and ranges as one type: a closed
// interval of addresses of one family. Everything that reads an address or
// a range (profile validation, the lockout guard, the iis-* and sm-* plugins)
// parses it here, so a text means the same thing everywhere.
//
// The text must be exact: no surrounding spaces, no leading zeros in a dotted
// quad ("010.0.0.1" is octal to some Windows APIs) or a prefix length, no IPv6
// zone id. IPv4 and IPv6 never mix: "::ffff:192.0.2.1" is an IPv6 address.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smharden::common {

enum class ip_family { v4, v6 };

/// An address as a 128-bit number; an IPv4 address is the low 32 bits.
struct ip_value {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  friend bool operator==(const ip_value&, const ip_value&) = default;
  // clang-tidy 14 reads the defaulted <=>'s comparison with 0 as a null pointer constant.
  friend auto operator<=>(const ip_value&, const ip_value&) = default;  // NOLINT(modernize-use-nullptr)
};

/// Every address from `first` to `last`, both included.
struct ip_range {
  ip_family family = ip_family::v4;
  ip_value first;
  ip_value last;

  bool is_v6() const { return family == ip_family::v6; }
  friend bool operator==(const ip_range&, const ip_range&) = default;
};

/// An address or a CIDR block: "203.0.113.7", "10.0.0.0/8", "2001:db8::/32".
/// Host bits are cleared ("10.1.2.3/8" is 10.0.0.0/8). nullopt for anything else.
std::optional<ip_range> parse_ip_network(std::string_view text);

/// parse_ip_network's forms, plus a network with a contiguous mask of the same
/// family ("10.0.0.0/255.0.0.0", "2001:db8::/ffff:ffff::") and a range of two
/// addresses of one family, lowest first ("10.0.0.1-10.0.0.50").
std::optional<ip_range> parse_ip_range(std::string_view text);

/// Every address of `inner` is in `outer`.
bool contains(const ip_range& outer, const ip_range& inner);
/// The two share at least one address.
bool overlaps(const ip_range& a, const ip_range& b);
/// Every address of `inner` is in the union of `outer` (pieces may be adjacent).
bool covered_by(const ip_range& inner, const std::vector<ip_range>& outer);

/// The prefix length when the range is exactly one CIDR block (32 or 128 for
/// a single address), else nullopt.
std::optional<unsigned> prefix_length(const ip_range& r);
/// The network mask of a prefix length as an address (IPv4 8 -> 255.0.0.0).
ip_value prefix_mask(ip_family family, unsigned prefix);

/// "192.0.2.7", or IPv6 in the RFC 5952 form ("2001:db8::1").
std::string address_text(ip_family family, const ip_value& address);
/// "10.0.0.0/8", "192.0.2.7" for a single address, else "10.0.0.1-10.0.0.50".
std::string to_string(const ip_range& r);

}  // namespace smharden::common
