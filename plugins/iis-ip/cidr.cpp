#include "cidr.hpp"

#include <algorithm>
#include <charconv>
#include <vector>

namespace smharden::iis_ip {
namespace {

std::optional<unsigned> parse_number(std::string_view s, int base, unsigned max) {
  if (s.empty() || s.size() > (base == 10 ? 3u : 4u)) return std::nullopt;
  unsigned v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || ptr != s.data() + s.size() || v > max) return std::nullopt;
  return v;
}

std::optional<std::array<std::uint8_t, 4>> parse_v4(std::string_view s) {
  std::array<std::uint8_t, 4> out{};
  for (int i = 0; i < 4; ++i) {
    const size_t dot = s.find('.');
    const std::string_view part = i < 3 ? s.substr(0, dot) : s;
    if ((i < 3 && dot == std::string_view::npos) || (i == 3 && s.find('.') != std::string_view::npos)) {
      return std::nullopt;
    }
    const auto v = parse_number(part, 10, 255);
    if (!v) return std::nullopt;
    out[static_cast<size_t>(i)] = static_cast<std::uint8_t>(*v);
    if (i < 3) s.remove_prefix(dot + 1);
  }
  return out;
}

std::optional<std::vector<std::uint16_t>> parse_groups(std::string_view s) {
  std::vector<std::uint16_t> out;
  if (s.empty()) return out;
  while (true) {
    const size_t colon = s.find(':');
    const auto v = parse_number(s.substr(0, colon), 16, 0xFFFF);
    if (!v) return std::nullopt;
    out.push_back(static_cast<std::uint16_t>(*v));
    if (colon == std::string_view::npos) return out;
    s.remove_prefix(colon + 1);
  }
}

std::optional<std::array<std::uint8_t, 16>> parse_v6(std::string_view s) {
  const size_t gap = s.find("::");
  std::vector<std::uint16_t> groups;
  if (gap == std::string_view::npos) {
    auto g = parse_groups(s);
    if (!g || g->size() != 8) return std::nullopt;
    groups = *g;
  } else {
    if (s.find("::", gap + 1) != std::string_view::npos) return std::nullopt;
    auto head = parse_groups(s.substr(0, gap));
    auto tail = parse_groups(s.substr(gap + 2));
    if (!head || !tail || head->size() + tail->size() > 7) return std::nullopt;
    groups = *head;
    groups.resize(8 - tail->size(), 0);
    groups.insert(groups.end(), tail->begin(), tail->end());
  }
  std::array<std::uint8_t, 16> out{};
  for (size_t i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8);
    out[2 * i + 1] = static_cast<std::uint8_t>(groups[i] & 0xFF);
  }
  return out;
}

bool bit(const std::array<std::uint8_t, 16>& b, int i) { return (b[static_cast<size_t>(i / 8)] >> (7 - i % 8)) & 1; }

void clear_host_bits(cidr& c) {
  const int total = c.v6 ? 128 : 32;
  for (int i = c.prefix; i < total; ++i) {
    c.bytes[static_cast<size_t>(i / 8)] &= static_cast<std::uint8_t>(~(1u << (7 - i % 8)));
  }
}

std::optional<cidr> make(std::string_view address, int prefix) {
  cidr c;
  if (address.find(':') != std::string_view::npos) {
    const auto b = parse_v6(address);
    if (!b) return std::nullopt;
    c.v6 = true;
    c.bytes = *b;
  } else {
    const auto b = parse_v4(address);
    if (!b) return std::nullopt;
    std::copy(b->begin(), b->end(), c.bytes.begin());
  }
  const int total = c.v6 ? 128 : 32;
  c.prefix = prefix < 0 ? total : prefix;
  if (c.prefix > total) return std::nullopt;
  clear_host_bits(c);
  return c;
}

// A contiguous mask (all ones, then all zeros) as a prefix length.
std::optional<int> mask_prefix(const std::array<std::uint8_t, 16>& b, int total) {
  int ones = 0;
  while (ones < total && bit(b, ones)) ++ones;
  for (int i = ones; i < total; ++i) {
    if (bit(b, i)) return std::nullopt;
  }
  return ones;
}

}  // namespace

std::optional<cidr> parse_cidr(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return make(text, -1);
  const auto p = parse_number(text.substr(slash + 1), 10, 128);
  if (!p) return std::nullopt;
  return make(text.substr(0, slash), static_cast<int>(*p));
}

std::optional<cidr> from_iis(std::string_view ip_address, std::string_view subnet_mask) {
  const bool v6 = ip_address.find(':') != std::string_view::npos;
  if (subnet_mask.empty()) return make(ip_address, -1);
  if (subnet_mask.find_first_of(".:") == std::string_view::npos) {
    const auto p = parse_number(subnet_mask, 10, v6 ? 128 : 32);
    if (!p) return std::nullopt;
    return make(ip_address, static_cast<int>(*p));
  }
  cidr mask;
  if (v6) {
    const auto b = parse_v6(subnet_mask);
    if (!b) return std::nullopt;
    mask.bytes = *b;
  } else {
    const auto b = parse_v4(subnet_mask);
    if (!b) return std::nullopt;
    std::copy(b->begin(), b->end(), mask.bytes.begin());
  }
  const auto p = mask_prefix(mask.bytes, v6 ? 128 : 32);
  if (!p) return std::nullopt;
  return make(ip_address, *p);
}

bool contains(const cidr& outer, const cidr& inner) {
  if (outer.v6 != inner.v6 || outer.prefix > inner.prefix) return false;
  for (int i = 0; i < outer.prefix; ++i) {
    if (bit(outer.bytes, i) != bit(inner.bytes, i)) return false;
  }
  return true;
}

bool overlaps(const cidr& a, const cidr& b) { return contains(a, b) || contains(b, a); }

std::string address_text(const cidr& c) {
  if (!c.v6) {
    return std::to_string(c.bytes[0]) + "." + std::to_string(c.bytes[1]) + "." + std::to_string(c.bytes[2]) + "." +
           std::to_string(c.bytes[3]);
  }
  std::array<unsigned, 8> g{};
  for (size_t i = 0; i < 8; ++i) g[i] = static_cast<unsigned>(c.bytes[2 * i] << 8 | c.bytes[2 * i + 1]);
  // RFC 5952: compress the longest run (>= 2) of zero groups.
  int best = -1;
  int best_len = 1;
  for (int i = 0; i < 8;) {
    int j = i;
    while (j < 8 && g[static_cast<size_t>(j)] == 0) ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j == i ? i + 1 : j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    char buf[8];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, g[static_cast<size_t>(i)], 16);
    out.append(buf, end);
  }
  return out;
}

std::string to_string(const cidr& c) {
  const int total = c.v6 ? 128 : 32;
  return c.prefix == total ? address_text(c) : address_text(c) + "/" + std::to_string(c.prefix);
}

std::string iis_mask(const cidr& c) {
  if (c.v6) return std::to_string(c.prefix);
  std::uint32_t m = c.prefix == 0 ? 0 : 0xFFFFFFFFu << (32 - c.prefix);
  return std::to_string(m >> 24) + "." + std::to_string((m >> 16) & 0xFF) + "." + std::to_string((m >> 8) & 0xFF) +
         "." + std::to_string(m & 0xFF);
}

}  // namespace smharden::iis_ip
