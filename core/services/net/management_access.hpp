// The lockout guard's logic: given the allow/deny rules a plugin is about to
// apply (IIS ipSecurity, SmarterMail "restrict login by IP", ...), find every
// management range that would lose access to any of its addresses. Exact
// over IPv4 and IPv6 intervals; no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace smharden::services::net {

/// An inclusive interval of addresses of one family. IPv4 addresses sit in
/// the last 4 bytes so that interval arithmetic is the same for both.
struct address_range {
  bool is_v6 = false;
  std::array<std::uint8_t, 16> first{};
  std::array<std::uint8_t, 16> last{};
  std::string text;  ///< as written
};

/// Parses "203.0.113.7", "10.0.0.0/8", "10.0.0.0/255.0.0.0", "10.0.0.1-10.0.0.50",
/// "2001:db8::/32". Returns nullopt for anything else.
std::optional<address_range> parse_address_range(std::string_view text);

struct access_rule {
  address_range range;
  bool allow = true;
};

/// Rules are evaluated in order, the first one that matches an address
/// decides; addresses no rule matches get the default.
struct access_policy {
  std::vector<access_rule> rules;
  bool default_allow = false;
};

struct excluded_range {
  std::string range;   ///< the management range as written
  std::string reason;  ///< which rule denies it, or that nothing allows it
};

/// Every management range with at least one address the policy denies.
std::vector<excluded_range> find_excluded(const std::vector<address_range>& management, const access_policy& policy);

}  // namespace smharden::services::net
