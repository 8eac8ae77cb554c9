#include "services/net/management_access.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "profile/network_address.hpp"

namespace smharden::services::net {
namespace {

using bytes16 = std::array<std::uint8_t, 16>;

/// IPv4 from ip_network (first 4 bytes) to the last 4 bytes.
bytes16 normalized(const core::ip_network& n) {
  if (n.is_v6) return n.bytes;
  bytes16 out{};
  std::copy(n.bytes.begin(), n.bytes.begin() + 4, out.begin() + 12);
  return out;
}

unsigned width(bool v6) { return v6 ? 128U : 32U; }

/// Sets (or clears) every bit after the first `prefix` bits of the family's width.
bytes16 with_host_bits(bytes16 b, bool v6, unsigned prefix, bool set) {
  const unsigned offset = v6 ? 0U : 96U;
  for (unsigned bit = offset + prefix; bit < 128U; ++bit) {
    const auto mask = static_cast<std::uint8_t>(0x80U >> (bit % 8U));
    if (set) {
      b[bit / 8U] = static_cast<std::uint8_t>(b[bit / 8U] | mask);
    } else {
      b[bit / 8U] = static_cast<std::uint8_t>(b[bit / 8U] & ~mask);
    }
  }
  return b;
}

bool increment(bytes16& b) {
  for (int i = 15; i >= 0; --i) {
    if (++b[static_cast<std::size_t>(i)] != 0) return true;
  }
  return false;  // wrapped
}

bool decrement(bytes16& b) {
  for (int i = 15; i >= 0; --i) {
    if (b[static_cast<std::size_t>(i)]-- != 0) return true;
  }
  return false;
}

std::optional<address_range> from_network(const core::ip_network& n, std::string_view text) {
  address_range r;
  r.is_v6 = n.is_v6;
  r.first = with_host_bits(normalized(n), n.is_v6, n.prefix, false);
  r.last = with_host_bits(normalized(n), n.is_v6, n.prefix, true);
  r.text = std::string(text);
  return r;
}

/// "255.255.255.0" -> 24; nullopt when not a contiguous IPv4 mask.
std::optional<unsigned> mask_prefix(std::string_view mask) {
  const auto parsed = core::parse_ip_network(mask);
  if (!parsed || parsed->is_v6 || parsed->prefix != 32) return std::nullopt;
  unsigned prefix = 0;
  bool zero_seen = false;
  for (unsigned i = 0; i < 32; ++i) {
    const bool bit = (parsed->bytes[i / 8U] & (0x80U >> (i % 8U))) != 0;
    if (bit && zero_seen) return std::nullopt;
    if (bit) ++prefix;
    if (!bit) zero_seen = true;
  }
  return prefix;
}

using interval = std::pair<bytes16, bytes16>;

void subtract(std::vector<interval>& remaining, const address_range& r) {
  std::vector<interval> out;
  for (const auto& [lo, hi] : remaining) {
    if (r.last < lo || hi < r.first) {
      out.emplace_back(lo, hi);
      continue;
    }
    if (lo < r.first) {
      bytes16 end = r.first;
      decrement(end);
      out.emplace_back(lo, end);
    }
    if (r.last < hi) {
      bytes16 start = r.last;
      increment(start);
      out.emplace_back(start, hi);
    }
  }
  remaining = std::move(out);
}

bool overlaps(const std::vector<interval>& remaining, const address_range& r) {
  return std::any_of(remaining.begin(), remaining.end(),
                     [&](const interval& i) { return !(r.last < i.first || i.second < r.first); });
}

}  // namespace

std::optional<address_range> parse_address_range(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  if (const auto dash = text.find('-'); dash != std::string_view::npos) {
    const auto a = core::parse_ip_network(text.substr(0, dash));
    const auto b = core::parse_ip_network(text.substr(dash + 1));
    if (!a || !b || a->is_v6 != b->is_v6 || a->prefix != width(a->is_v6) || b->prefix != width(b->is_v6)) {
      return std::nullopt;
    }
    address_range r;
    r.is_v6 = a->is_v6;
    r.first = normalized(*a);
    r.last = normalized(*b);
    r.text = std::string(text);
    if (r.last < r.first) return std::nullopt;
    return r;
  }
  if (const auto slash = text.find('/');
      slash != std::string_view::npos && text.substr(slash + 1).find('.') != std::string_view::npos) {
    const auto prefix = mask_prefix(text.substr(slash + 1));
    const auto base = core::parse_ip_network(text.substr(0, slash));
    if (!prefix || !base || base->is_v6) return std::nullopt;
    core::ip_network n = *base;
    n.prefix = *prefix;
    return from_network(n, text);
  }
  const auto n = core::parse_ip_network(text);
  if (!n) return std::nullopt;
  return from_network(*n, text);
}

std::vector<excluded_range> find_excluded(const std::vector<address_range>& management, const access_policy& policy) {
  std::vector<excluded_range> out;
  for (const auto& m : management) {
    std::vector<interval> remaining{{m.first, m.last}};
    std::string denied_by;
    for (const auto& rule : policy.rules) {
      if (rule.range.is_v6 != m.is_v6 || !overlaps(remaining, rule.range)) continue;
      if (!rule.allow) {
        denied_by = rule.range.text;
        break;
      }
      subtract(remaining, rule.range);
      if (remaining.empty()) break;
    }
    if (!denied_by.empty()) {
      out.push_back({m.text, fmt::format("denied (all or part of it) by the deny entry {}", denied_by)});
    } else if (!remaining.empty() && !policy.default_allow) {
      out.push_back({m.text, "not (entirely) inside any allow entry, and addresses outside them are denied"});
    }
  }
  return out;
}

}  // namespace smharden::services::net
