#include "profile/network_address.hpp"

#include <charconv>
#include <string>
#include <vector>

namespace smharden::core {
namespace {

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

}  // namespace

std::optional<ip_network> parse_ip_network(std::string_view text) {
  ip_network net;
  std::string_view address = text;
  std::optional<unsigned> prefix;
  if (std::size_t slash = text.find('/'); slash != std::string_view::npos) {
    address = text.substr(0, slash);
    prefix = parse_decimal(text.substr(slash + 1), 3);
    if (!prefix) return std::nullopt;
  }
  net.is_v6 = address.find(':') != std::string_view::npos;
  if (net.is_v6 ? !parse_v6(address, net.bytes.data()) : !parse_v4(address, net.bytes.data())) return std::nullopt;
  const unsigned max_prefix = net.is_v6 ? 128 : 32;
  if (prefix && *prefix > max_prefix) return std::nullopt;
  net.prefix = prefix.value_or(max_prefix);
  return net;
}

bool ip_network::contains(const ip_network& other) const {
  if (is_v6 != other.is_v6 || other.prefix < prefix) return false;
  for (unsigned bit = 0; bit < prefix; ++bit) {
    unsigned byte = bit / 8, mask = 0x80u >> (bit % 8);
    if ((bytes[byte] & mask) != (other.bytes[byte] & mask)) return false;
  }
  return true;
}

}  // namespace smharden::core
