#include <smharden/common/access_proof.hpp>

#include <algorithm>
#include <utility>

namespace smharden::common {
namespace {

// A piece of a management range not yet decided by any rule.
struct piece {
  ip_value first;
  ip_value last;
};

ip_value before(ip_value v) {
  if (v.low-- == 0) --v.high;
  return v;
}

ip_value after(ip_value v) {
  if (++v.low == 0) ++v.high;
  return v;
}

bool touches(const piece& p, const ip_range& r) { return !(r.last < p.first || p.last < r.first); }

// Removes the rule's addresses from the undecided pieces: those addresses are now decided (allowed).
void subtract(std::vector<piece>& undecided, const ip_range& r) {
  std::vector<piece> out;
  for (const piece& p : undecided) {
    if (!touches(p, r)) {
      out.push_back(p);
      continue;
    }
    if (p.first < r.first) out.push_back({p.first, before(r.first)});
    if (r.last < p.last) out.push_back({after(r.last), p.last});
  }
  undecided = std::move(out);
}

}  // namespace

std::optional<written_range> parse_written_range(std::string_view text) {
  const auto r = parse_ip_range(text);
  if (!r) return std::nullopt;
  return written_range{*r, std::string(text)};
}

std::vector<excluded_range> find_excluded(const std::vector<written_range>& management, const access_policy& policy) {
  std::vector<excluded_range> out;
  for (const auto& m : management) {
    std::vector<piece> undecided{{m.range.first, m.range.last}};
    std::optional<std::size_t> deny_rule;
    for (std::size_t i = 0; i < policy.rules.size() && !undecided.empty(); ++i) {
      const access_rule& rule = policy.rules[i];
      const ip_range& r = rule.range.range;
      if (r.family != m.range.family ||
          std::none_of(undecided.begin(), undecided.end(), [&](const piece& p) { return touches(p, r); })) {
        continue;
      }
      if (!rule.allow) {
        deny_rule = i;
        break;
      }
      subtract(undecided, r);
    }
    if (deny_rule) {
      out.push_back(
          {m.text, "denied (all or part of it) by the deny entry " + policy.rules[*deny_rule].range.text, deny_rule});
    } else if (!undecided.empty() && !policy.default_allow) {
      out.push_back(
          {m.text, "not (entirely) inside any allow entry, and addresses outside them are denied", std::nullopt});
    }
  }
  return out;
}

}  // namespace smharden::common
