// IP addresses, CIDR blocks and "a-b" ranges as closed intervals, and the
// question the sm-* plugins must answer before they restrict anything: is
// this range entirely inside that set of ranges? Shared by sm-admin and
// sm-relay (compiled into each plugin; no library).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smharden::sm {

/// A 128-bit address; IPv4 lives in its own family (no mapping to IPv6).
struct ip_value {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  friend bool operator==(const ip_value&, const ip_value&) = default;
  // clang-tidy 14 reads the defaulted <=>'s comparison with 0 as a null pointer constant.
  friend auto operator<=>(const ip_value&, const ip_value&) = default;  // NOLINT(modernize-use-nullptr)
};

struct ip_range {
  bool v6 = false;
  ip_value first;
  ip_value last;
};

/// "192.0.2.1", "192.0.2.0/24", "192.0.2.10-192.0.2.20", "2001:db8::/32".
/// nullopt when the text is none of these.
std::optional<ip_range> parse_ip_range(std::string_view text);

/// True when every address of `inner` is inside the union of `outer`.
bool covered_by(const ip_range& inner, const std::vector<ip_range>& outer);

}  // namespace smharden::sm
