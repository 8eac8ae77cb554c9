// The lockout proof: given the ordered allow/deny rules a step is about to
// apply (IIS ipSecurity, SmarterMail "restrict login by IP", ...) and what
// happens to addresses no rule matches, find every management range that
// would lose access to any of its addresses, and say why. Exact over IPv4
// and IPv6 intervals; no I/O. The host's guard.management_access.check and
// the plugins that check before they ask the host all use this one proof.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <smharden/common/ip_range.hpp>

namespace smharden::common {

/// A range with the text it was written as (messages quote the operator's text).
struct written_range {
  ip_range range;
  std::string text;
};

/// Parses with parse_ip_range and keeps the text; nullopt when it does not parse.
std::optional<written_range> parse_written_range(std::string_view text);

struct access_rule {
  written_range range;
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
  /// Index (into the policy's rules) of the deny rule that takes addresses
  /// away; nullopt when the addresses are lost because nothing allows them.
  std::optional<std::size_t> deny_rule;
};

/// Every management range with at least one address the policy denies, in the order given.
std::vector<excluded_range> find_excluded(const std::vector<written_range>& management, const access_policy& policy);

}  // namespace smharden::common
