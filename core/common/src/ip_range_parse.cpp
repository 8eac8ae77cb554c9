#include <smharden/common/ip_range.hpp>

#include <array>
#include <charconv>
#include <cstdint>
#include <vector>

#include "ip_value_steps.hpp"

namespace smharden::common {
namespace {

using byte16 = std::array<std::uint8_t, 16>;

std::optional<unsigned> parse_decimal(std::string_view s, std::size_t max_digits) {
  if (s.empty() || s.size() > max_digits || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  unsigned value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}

bool parse_v4(std::string_view s, std::uint8_t* out) {
  for (int i = 0; i < 4; ++i) {
    std::size_t dot = s.find('.');
    if ((i < 3) == (dot == std::string_view::npos)) return false;
    auto octet = parse_decimal(s.substr(0, dot), 3);
    if (!octet || *octet > 255) return false;
    out[i] = static_cast<std::uint8_t>(*octet);
    s = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
  }
  return true;
}

// Groups of one side of "::" (or the whole address); the last may be a dotted quad.
std::optional<std::vector<std::uint16_t>> parse_v6_groups(std::string_view s, bool allow_v4_tail) {
  std::vector<std::uint16_t> groups;
  if (s.empty()) return groups;
  std::size_t start = 0;
  for (;;) {
    std::size_t colon = s.find(':', start);
    std::string_view g = s.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
    if (colon == std::string_view::npos && allow_v4_tail && g.find('.') != std::string_view::npos) {
      std::uint8_t v4[4];
      if (!parse_v4(g, v4)) return std::nullopt;
      groups.push_back(static_cast<std::uint16_t>(v4[0] << 8 | v4[1]));
      groups.push_back(static_cast<std::uint16_t>(v4[2] << 8 | v4[3]));
      return groups;
    }
    if (g.empty() || g.size() > 4) return std::nullopt;
    unsigned value = 0;
    auto [end, ec] = std::from_chars(g.data(), g.data() + g.size(), value, 16);
    if (ec != std::errc{} || end != g.data() + g.size()) return std::nullopt;
    groups.push_back(static_cast<std::uint16_t>(value));
    if (colon == std::string_view::npos) return groups;
    start = colon + 1;
  }
}

bool parse_v6(std::string_view s, std::uint8_t* out) {
  std::vector<std::uint16_t> groups;
  std::size_t gap = s.find("::");
  if (gap == std::string_view::npos) {
    auto all = parse_v6_groups(s, true);
    if (!all || all->size() != 8) return false;
    groups = *all;
  } else {
    if (s.find("::", gap + 1) != std::string_view::npos) return false;
    auto head = parse_v6_groups(s.substr(0, gap), false);
    auto tail = parse_v6_groups(s.substr(gap + 2), true);
    if (!head || !tail || head->size() + tail->size() > 7) return false;
    groups = *head;
    groups.resize(8 - tail->size(), 0);
    groups.insert(groups.end(), tail->begin(), tail->end());
  }
  for (std::size_t i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8);
    out[2 * i + 1] = static_cast<std::uint8_t>(groups[i] & 0xff);
  }
  return true;
}

ip_value to_value(const byte16& b, std::size_t count) {
  ip_value v;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t from_end = count - 1 - i;  // byte position counted from the least significant
    if (from_end < 8) {
      v.low |= std::uint64_t{b[i]} << (8 * from_end);
    } else {
      v.high |= std::uint64_t{b[i]} << (8 * (from_end - 8));
    }
  }
  return v;
}

struct address {
  ip_family family;
  ip_value value;
};

std::optional<address> parse_address(std::string_view text) {
  byte16 bytes{};
  if (text.find(':') != std::string_view::npos) {
    if (!parse_v6(text, bytes.data())) return std::nullopt;
    return address{ip_family::v6, to_value(bytes, 16)};
  }
  if (!parse_v4(text, bytes.data())) return std::nullopt;
  return address{ip_family::v4, to_value(bytes, 4)};
}

ip_range block(const address& a, unsigned prefix) {
  const ip_value mask = prefix_mask(a.family, prefix);
  const ip_value all = prefix_mask(a.family, detail::width(a.family));
  ip_range r;
  r.family = a.family;
  r.first = {a.value.high & mask.high, a.value.low & mask.low};
  r.last = {r.first.high | (all.high & ~mask.high), r.first.low | (all.low & ~mask.low)};
  return r;
}

// "255.255.0.0" -> 16; nullopt when the mask is not contiguous ones then zeros.
std::optional<unsigned> mask_to_prefix(const address& mask) {
  for (unsigned prefix = 0; prefix <= detail::width(mask.family); ++prefix) {
    if (prefix_mask(mask.family, prefix) == mask.value) return prefix;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ip_range> parse_ip_network(std::string_view text) {
  const std::size_t slash = text.find('/');
  const auto a = parse_address(text.substr(0, slash));
  if (!a) return std::nullopt;
  if (slash == std::string_view::npos) return ip_range{a->family, a->value, a->value};
  const auto prefix = parse_decimal(text.substr(slash + 1), 3);
  if (!prefix || *prefix > detail::width(a->family)) return std::nullopt;
  return block(*a, *prefix);
}

std::optional<ip_range> parse_ip_range(std::string_view text) {
  if (const auto dash = text.find('-'); dash != std::string_view::npos) {
    const auto a = parse_address(text.substr(0, dash));
    const auto b = parse_address(text.substr(dash + 1));
    if (!a || !b || a->family != b->family || b->value < a->value) return std::nullopt;
    return ip_range{a->family, a->value, b->value};
  }
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos || text.find_first_of(".:", slash + 1) == std::string_view::npos) {
    return parse_ip_network(text);
  }
  const auto a = parse_address(text.substr(0, slash));
  const auto mask = parse_address(text.substr(slash + 1));
  if (!a || !mask || a->family != mask->family) return std::nullopt;
  const auto prefix = mask_to_prefix(*mask);
  if (!prefix) return std::nullopt;
  return block(*a, *prefix);
}

}  // namespace smharden::common
