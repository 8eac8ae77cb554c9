#include <smharden/common/ip_range.hpp>

#include <algorithm>
#include <array>
#include <charconv>

#include "ip_value_steps.hpp"

namespace smharden::common {
namespace {

std::string hex(unsigned group) {
  char buf[8];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, group, 16);
  return std::string(buf, end);
}

}  // namespace

bool contains(const ip_range& outer, const ip_range& inner) {
  return outer.family == inner.family && outer.first <= inner.first && inner.last <= outer.last;
}

bool overlaps(const ip_range& a, const ip_range& b) {
  return a.family == b.family && a.first <= b.last && b.first <= a.last;
}

bool covered_by(const ip_range& inner, const std::vector<ip_range>& outer) {
  std::vector<ip_range> same;
  for (const auto& r : outer) {
    if (r.family == inner.family) same.push_back(r);
  }
  std::sort(same.begin(), same.end(), [](const ip_range& a, const ip_range& b) { return a.first < b.first; });
  ip_value need = inner.first;  // the lowest address not yet shown to be covered
  for (const auto& r : same) {
    if (need < r.first) return false;
    if (need <= r.last) {
      if (inner.last <= r.last) return true;
      need = detail::next(r.last);
    }
  }
  return false;
}

ip_value prefix_mask(ip_family family, unsigned prefix) {
  const unsigned total = detail::width(family);
  prefix = std::min(prefix, total);
  ip_value out;
  for (unsigned bit = total - prefix; bit < total; ++bit) {  // the top `prefix` bits of the family's width
    if (bit < 64) {
      out.low |= std::uint64_t{1} << bit;
    } else {
      out.high |= std::uint64_t{1} << (bit - 64);
    }
  }
  return out;
}

std::optional<unsigned> prefix_length(const ip_range& r) {
  const ip_value all = prefix_mask(r.family, detail::width(r.family));
  for (unsigned prefix = 0; prefix <= detail::width(r.family); ++prefix) {
    const ip_value mask = prefix_mask(r.family, prefix);
    const ip_value host = {all.high & ~mask.high, all.low & ~mask.low};
    const bool aligned = (r.first.high & host.high) == 0 && (r.first.low & host.low) == 0;
    if (aligned && r.last == ip_value{r.first.high | host.high, r.first.low | host.low}) return prefix;
  }
  return std::nullopt;
}

std::string address_text(ip_family family, const ip_value& address) {
  if (family == ip_family::v4) {
    const auto v = static_cast<std::uint32_t>(address.low);
    return std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 0xFF) + "." + std::to_string((v >> 8) & 0xFF) +
           "." + std::to_string(v & 0xFF);
  }
  std::array<unsigned, 8> g{};
  for (std::size_t i = 0; i < 4; ++i) {
    g[i] = static_cast<unsigned>((address.high >> (48 - 16 * i)) & 0xFFFF);
    g[i + 4] = static_cast<unsigned>((address.low >> (48 - 16 * i)) & 0xFFFF);
  }
  // RFC 5952: compress the longest run (at least two) of zero groups, the first one on a tie.
  std::size_t best = g.size();
  std::size_t best_len = 1;
  for (std::size_t i = 0; i < g.size();) {
    std::size_t j = i;
    while (j < g.size() && g[j] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  std::string out;
  for (std::size_t i = 0; i < g.size(); ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    out += hex(g[i]);
  }
  return out;
}

std::string to_string(const ip_range& r) {
  const auto prefix = prefix_length(r);
  if (!prefix) return address_text(r.family, r.first) + "-" + address_text(r.family, r.last);
  if (*prefix == detail::width(r.family)) return address_text(r.family, r.first);
  return address_text(r.family, r.first) + "/" + std::to_string(*prefix);
}

}  // namespace smharden::common
