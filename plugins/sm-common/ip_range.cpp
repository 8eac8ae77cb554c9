#include "ip_range.hpp"

#include <algorithm>
#include <charconv>

namespace smharden::sm {
namespace {

std::optional<std::uint32_t> parse_v4(std::string_view s) {
  std::uint32_t out = 0;
  int parts = 0;
  while (!s.empty() && parts < 4) {
    const auto dot = s.find('.');
    const std::string_view part = s.substr(0, dot);
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (ec != std::errc() || ptr != part.data() + part.size() || part.empty() || part.size() > 3 || value > 255) {
      return std::nullopt;
    }
    out = (out << 8) | value;
    ++parts;
    s = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
    if (dot != std::string_view::npos && s.empty()) return std::nullopt;
  }
  if (parts != 4 || !s.empty()) return std::nullopt;
  return out;
}

std::optional<ip_value> parse_v6(std::string_view s) {
  std::vector<std::uint16_t> head, tail;
  bool gap = false;
  std::vector<std::uint16_t>* cur = &head;
  if (s.rfind("::", 0) == 0) {
    gap = true;
    cur = &tail;
    s.remove_prefix(2);
  }
  while (!s.empty()) {
    const auto colon = s.find(':');
    const std::string_view part = s.substr(0, colon);
    unsigned value = 0;
    const auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), value, 16);
    if (ec != std::errc() || ptr != part.data() + part.size() || part.empty() || part.size() > 4) return std::nullopt;
    cur->push_back(static_cast<std::uint16_t>(value));
    if (colon == std::string_view::npos) break;
    s.remove_prefix(colon + 1);
    if (!s.empty() && s.front() == ':') {
      if (gap) return std::nullopt;
      gap = true;
      cur = &tail;
      s.remove_prefix(1);
    } else if (s.empty()) {
      return std::nullopt;
    }
  }
  const std::size_t n = head.size() + tail.size();
  if ((gap && n > 7) || (!gap && n != 8)) return std::nullopt;
  std::vector<std::uint16_t> words(head);
  words.resize(8 - tail.size(), 0);
  words.insert(words.end(), tail.begin(), tail.end());
  ip_value v;
  for (int i = 0; i < 4; ++i) v.high = (v.high << 16) | words[static_cast<std::size_t>(i)];
  for (int i = 4; i < 8; ++i) v.low = (v.low << 16) | words[static_cast<std::size_t>(i)];
  return v;
}

std::optional<ip_range> single(std::string_view s) {
  if (auto v4 = parse_v4(s)) return ip_range{false, {0, *v4}, {0, *v4}};
  if (auto v6 = parse_v6(s)) return ip_range{true, *v6, *v6};
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

ip_value next(ip_value v) {
  if (++v.low == 0) ++v.high;
  return v;
}

}  // namespace

std::optional<ip_range> parse_ip_range(std::string_view text) {
  text = trim(text);
  if (const auto slash = text.find('/'); slash != std::string_view::npos) {
    auto base = single(text.substr(0, slash));
    const std::string_view bits_text = text.substr(slash + 1);
    unsigned bits = 0;
    const auto [ptr, ec] = std::from_chars(bits_text.data(), bits_text.data() + bits_text.size(), bits);
    if (!base || ec != std::errc() || ptr != bits_text.data() + bits_text.size() || bits_text.empty())
      return std::nullopt;
    const unsigned width = base->v6 ? 128 : 32;
    if (bits > width) return std::nullopt;
    const unsigned host_bits = width - bits;
    ip_value mask;  // host part
    if (host_bits >= 64) {
      mask.low = ~std::uint64_t{0};
      mask.high = host_bits == 128 ? ~std::uint64_t{0} : ((std::uint64_t{1} << (host_bits - 64)) - 1);
    } else {
      mask.low = host_bits == 0 ? 0 : ((std::uint64_t{1} << host_bits) - 1);
    }
    ip_range r = *base;
    r.first = {base->first.high & ~mask.high, base->first.low & ~mask.low};
    r.last = {base->first.high | mask.high, base->first.low | mask.low};
    return r;
  }
  if (const auto dash = text.find('-'); dash != std::string_view::npos) {
    auto a = single(trim(text.substr(0, dash)));
    auto b = single(trim(text.substr(dash + 1)));
    if (!a || !b || a->v6 != b->v6 || b->first < a->first) return std::nullopt;
    return ip_range{a->v6, a->first, b->last};
  }
  return single(text);
}

bool covered_by(const ip_range& inner, const std::vector<ip_range>& outer) {
  std::vector<ip_range> same;
  for (const auto& r : outer) {
    if (r.v6 == inner.v6) same.push_back(r);
  }
  std::sort(same.begin(), same.end(), [](const ip_range& a, const ip_range& b) { return a.first < b.first; });
  ip_value need = inner.first;  // the lowest address not yet shown to be covered
  for (const auto& r : same) {
    if (need < r.first) return false;
    if (!(r.last < need)) {
      if (!(r.last < inner.last)) return true;
      need = next(r.last);
    }
  }
  return false;
}

}  // namespace smharden::sm
