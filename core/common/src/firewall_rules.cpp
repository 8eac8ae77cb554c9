#include <smharden/common/firewall_rules.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "ip_value_steps.hpp"

namespace smharden::common {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> split_commas(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    out.push_back(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) return out;
    start = comma + 1;
  }
}

std::optional<std::uint16_t> parse_port(std::string_view s) {
  unsigned value = 0;
  if (s.empty() || s.size() > 5 || (s.size() > 1 && s.front() == '0')) return std::nullopt;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || value == 0 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

ip_range whole(ip_family family) {
  if (family == ip_family::v4) return {ip_family::v4, {0, 0}, {0, 0xFFFFFFFFULL}};
  return {ip_family::v6, {0, 0}, {~0ULL, ~0ULL}};
}

bool rule_decides(const firewall_rule& r, std::uint16_t port) {
  if (!r.enabled || lower(r.direction) != "in") return false;
  const std::string proto = lower(r.protocol);
  if (proto != "tcp" && proto != "any") return false;
  const auto ports = parse_port_list(r.local_ports);
  return ports && port_in(*ports, port);
}

}  // namespace

std::optional<std::vector<port_range>> parse_port_list(std::string_view text) {
  if (text == "*") return std::vector<port_range>{{1, 65535}};
  std::vector<port_range> out;
  for (const auto piece : split_commas(text)) {
    const std::size_t dash = piece.find('-');
    const auto first = parse_port(piece.substr(0, dash));
    const auto last = dash == std::string_view::npos ? first : parse_port(piece.substr(dash + 1));
    if (!first || !last || *last < *first) return std::nullopt;
    out.push_back({*first, *last});
  }
  return out;
}

bool port_in(const std::vector<port_range>& ports, std::uint16_t port) {
  return std::any_of(ports.begin(), ports.end(),
                     [&](const port_range& r) { return r.first <= port && port <= r.last; });
}

std::optional<remote_set> parse_remote_addresses(std::string_view text) {
  remote_set out;
  if (text == "*") {
    out.ranges = {whole(ip_family::v4), whole(ip_family::v6)};
    return out;
  }
  for (const auto piece : split_commas(text)) {
    if (lower(piece) == "localsubnet") {
      out.local_subnet = true;
      continue;
    }
    const auto r = parse_ip_range(piece);
    if (!r) return std::nullopt;
    out.ranges.push_back(*r);
  }
  return out;
}

std::string rule_problem(const firewall_rule& r) {
  if (r.name.empty()) return "a rule needs a name";
  const std::string dir = lower(r.direction);
  if (dir != "in" && dir != "out") return "direction \"" + r.direction + "\" is not \"in\" or \"out\"";
  const std::string act = lower(r.action);
  if (act != "allow" && act != "block") return "action \"" + r.action + "\" is not \"allow\" or \"block\"";
  const std::string proto = lower(r.protocol);
  if (proto != "tcp" && proto != "udp" && proto != "any")
    return "protocol \"" + r.protocol + "\" is not tcp, udp or any";
  if (!parse_port_list(r.local_ports)) {
    return "local_ports \"" + r.local_ports +
           "\" is not \"*\" or a comma list of ports 1-65535 and ranges (\"80,9990-9999\")";
  }
  if (!parse_remote_addresses(r.remote_addresses)) {
    return "remote_addresses \"" + r.remote_addresses +
           "\" is not \"*\" or a comma list of addresses, CIDRs, ranges or LocalSubnet";
  }
  return {};
}

reachable_set inbound_tcp_reachable(const std::vector<firewall_rule>& rules, std::uint16_t port) {
  std::vector<ip_range> allowed;
  std::vector<ip_range> blocked;
  reachable_set out;
  for (const auto& r : rules) {
    if (!rule_problem(r).empty() || !rule_decides(r, port)) continue;
    const auto remote = parse_remote_addresses(r.remote_addresses);
    auto& into = lower(r.action) == "allow" ? allowed : blocked;
    into.insert(into.end(), remote->ranges.begin(), remote->ranges.end());
    out.uncertain = out.uncertain || remote->local_subnet;
  }
  out.ranges = subtract_ranges(allowed, blocked);
  return out;
}

std::vector<ip_range> normalize_ranges(std::vector<ip_range> ranges) {
  std::sort(ranges.begin(), ranges.end(), [](const ip_range& a, const ip_range& b) {
    if (a.family != b.family) return a.family == ip_family::v4;
    return a.first < b.first;
  });
  std::vector<ip_range> out;
  for (const auto& r : ranges) {
    if (!out.empty() && out.back().family == r.family &&
        (r.first <= out.back().last ||
         (out.back().last != whole(r.family).last && detail::next(out.back().last) == r.first))) {
      out.back().last = std::max(out.back().last, r.last);
    } else {
      out.push_back(r);
    }
  }
  return out;
}

std::vector<ip_range> complement_ranges(const std::vector<ip_range>& ranges) {
  return subtract_ranges({whole(ip_family::v4), whole(ip_family::v6)}, ranges);
}

std::vector<ip_range> subtract_ranges(const std::vector<ip_range>& a, const std::vector<ip_range>& b) {
  const auto cut = normalize_ranges(b);
  std::vector<ip_range> out;
  for (const auto& piece : normalize_ranges(a)) {
    ip_range rest = piece;
    bool left = true;
    for (const auto& c : cut) {
      if (!left || !overlaps(rest, c)) continue;
      if (rest.first < c.first) out.push_back({rest.family, rest.first, detail::prev(c.first)});
      if (c.last < rest.last) {
        rest.first = detail::next(c.last);
      } else {
        left = false;
      }
    }
    if (left) out.push_back(rest);
  }
  return out;
}

std::string join_ranges(const std::vector<ip_range>& ranges) {
  std::string out;
  for (const auto& r : ranges) out += (out.empty() ? "" : ",") + to_string(r);
  return out;
}

}  // namespace smharden::common
