// The lockout guard's logic, as the net service uses it: the proof itself
// (which management ranges would lose access under ordered allow/deny rules)
// is the common library's, shared with the plugins that check before they
// ask the host.
#pragma once

#include <smharden/common/access_proof.hpp>

#include <optional>
#include <string_view>

namespace smharden::services::net {

/// A range and the text it was written as.
using address_range = common::written_range;
using common::access_policy;
using common::access_rule;
using common::excluded_range;
using common::find_excluded;

/// Parses "203.0.113.7", "10.0.0.0/8", "10.0.0.0/255.0.0.0", "10.0.0.1-10.0.0.50",
/// "2001:db8::/32" (common::parse_ip_range). Returns nullopt for anything else.
inline std::optional<address_range> parse_address_range(std::string_view text) {
  return common::parse_written_range(text);
}

}  // namespace smharden::services::net
