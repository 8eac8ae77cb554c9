// Address arithmetic shared by the range, parsing and firewall-rule code
// (internal to smharden_common).
#pragma once

#include <smharden/common/ip_range.hpp>

namespace smharden::common::detail {

/// Bits in an address of `family`: 32 or 128.
inline unsigned width(ip_family family) { return family == ip_family::v6 ? 128U : 32U; }

/// The address after `v` (wraps at the top of the 128-bit space).
inline ip_value next(ip_value v) {
  if (++v.low == 0) ++v.high;
  return v;
}

/// The address before `v`.
inline ip_value prev(ip_value v) {
  if (v.low-- == 0) --v.high;
  return v;
}

}  // namespace smharden::common::detail
