#include "graph/semver.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <vector>

namespace smharden::core {
namespace {

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A numeric identifier: digits, no leading zero (SemVer 2.0.0 §2), fits in unsigned.
std::optional<unsigned> parse_number(std::string_view s) {
  if (!is_digits(s) || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  unsigned value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    std::size_t pos = s.find(sep, start);
    parts.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
    if (pos == std::string_view::npos) break;
    start = pos + 1;
  }
  return parts;
}

bool valid_prerelease(std::string_view pre) {
  for (std::string_view id : split(pre, '.')) {
    if (id.empty()) return false;
    bool alnum = std::all_of(id.begin(), id.end(), [](char c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    });
    if (!alnum) return false;
    if (is_digits(id) && id.size() > 1 && id[0] == '0') return false;
  }
  return true;
}

int compare_prerelease(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return a.empty() == b.empty() ? 0 : (a.empty() ? 1 : -1);
  auto xs = split(a, '.');
  auto ys = split(b, '.');
  for (std::size_t i = 0; i < std::min(xs.size(), ys.size()); ++i) {
    bool xn = is_digits(xs[i]), yn = is_digits(ys[i]);
    if (xn && yn) {
      // Compare numerically without overflow: longer (no leading zeros) is larger.
      if (xs[i].size() != ys[i].size()) return xs[i].size() < ys[i].size() ? -1 : 1;
      int c = xs[i].compare(ys[i]);
      if (c != 0) return c < 0 ? -1 : 1;
    } else if (xn != yn) {
      return xn ? -1 : 1;  // numeric identifiers sort before alphanumeric ones
    } else {
      int c = xs[i].compare(ys[i]);
      if (c != 0) return c < 0 ? -1 : 1;
    }
  }
  if (xs.size() == ys.size()) return 0;
  return xs.size() < ys.size() ? -1 : 1;
}

enum class op { eq, lt, le, gt, ge };

struct comparator {
  op kind;
  semver version;

  bool matches(const semver& v) const {
    int c = compare(v, version);
    switch (kind) {
      case op::eq:
        return c == 0;
      case op::lt:
        return c < 0;
      case op::le:
        return c <= 0;
      case op::gt:
        return c > 0;
      case op::ge:
        return c >= 0;
    }
    return false;
  }
};

// One range = comparators that must all hold. "*" is the empty set.
std::optional<std::vector<comparator>> parse_range(std::string_view range, std::string* error) {
  auto fail = [&](std::string why) -> std::optional<std::vector<comparator>> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < range.size()) {
    while (i < range.size() && range[i] == ' ') ++i;
    if (i == range.size()) break;
    std::size_t start = i;
    // An operator may be followed by spaces before its version (">= 1.2.0").
    while (i < range.size() &&
           (range[i] == '>' || range[i] == '<' || range[i] == '=' || range[i] == '^' || range[i] == '~')) {
      ++i;
    }
    while (i < range.size() && range[i] == ' ' && i > start) ++i;
    while (i < range.size() && range[i] != ' ') ++i;
    tokens.push_back(range.substr(start, i - start));
  }
  if (tokens.empty()) return fail("the range is empty; use \"*\" for any version");

  std::vector<comparator> out;
  for (std::string_view token : tokens) {
    if (token == "*") {
      if (tokens.size() != 1) return fail("\"*\" cannot be combined with other comparators");
      return out;
    }
    std::string_view prefix;
    for (std::string_view p : {">=", "<=", ">", "<", "=", "^", "~"}) {
      if (token.substr(0, p.size()) == p) {
        prefix = p;
        break;
      }
    }
    std::string_view text = token.substr(prefix.size());
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    auto v = semver::parse(text);
    if (!v) return fail(fmt::format("\"{}\" is not a version MAJOR.MINOR.PATCH[-prerelease]", text));
    if (prefix == "^") {
      semver upper;
      if (v->major > 0) {
        upper.major = v->major + 1;
      } else if (v->minor > 0) {
        upper.minor = v->minor + 1;
      } else {
        upper.patch = v->patch + 1;
      }
      out.push_back({op::ge, *v});
      out.push_back({op::lt, upper});
    } else if (prefix == "~") {
      semver upper;
      upper.major = v->major;
      upper.minor = v->minor + 1;
      out.push_back({op::ge, *v});
      out.push_back({op::lt, upper});
    } else if (prefix == ">=") {
      out.push_back({op::ge, *v});
    } else if (prefix == "<=") {
      out.push_back({op::le, *v});
    } else if (prefix == ">") {
      out.push_back({op::gt, *v});
    } else if (prefix == "<") {
      out.push_back({op::lt, *v});
    } else {
      out.push_back({op::eq, *v});
    }
  }
  return out;
}

}  // namespace

std::optional<semver> semver::parse(std::string_view text) {
  // Build metadata ("+build.5") carries no precedence; it is accepted and dropped.
  if (auto plus = text.find('+'); plus != std::string_view::npos) {
    std::string_view build = text.substr(plus + 1);
    for (std::string_view id : split(build, '.')) {
      if (id.empty() || !std::all_of(id.begin(), id.end(), [](char c) {
            return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
          })) {
        return std::nullopt;
      }
    }
    text = text.substr(0, plus);
  }
  semver v;
  if (auto dash = text.find('-'); dash != std::string_view::npos) {
    v.prerelease = std::string(text.substr(dash + 1));
    if (!valid_prerelease(v.prerelease)) return std::nullopt;
    text = text.substr(0, dash);
  }
  auto parts = split(text, '.');
  if (parts.size() != 3) return std::nullopt;
  auto major = parse_number(parts[0]), minor = parse_number(parts[1]), patch = parse_number(parts[2]);
  if (!major || !minor || !patch) return std::nullopt;
  v.major = *major;
  v.minor = *minor;
  v.patch = *patch;
  return v;
}

std::string semver::str() const {
  std::string s = fmt::format("{}.{}.{}", major, minor, patch);
  if (!prerelease.empty()) s += "-" + prerelease;
  return s;
}

int compare(const semver& a, const semver& b) {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
  return compare_prerelease(a.prerelease, b.prerelease);
}

bool valid_range(std::string_view range, std::string* error) { return parse_range(range, error).has_value(); }

bool satisfies(const semver& version, std::string_view range) {
  auto comparators = parse_range(range, nullptr);
  if (!comparators) return false;
  for (const comparator& c : *comparators) {
    if (!c.matches(version)) return false;
  }
  if (version.prerelease.empty()) return true;
  // A pre-release only matches when a comparator names a pre-release of the
  // same MAJOR.MINOR.PATCH (npm's rule): ">=1.0.0" does not admit 2.0.0-rc.1.
  return std::any_of(comparators->begin(), comparators->end(), [&](const comparator& c) {
    return !c.version.prerelease.empty() && c.version.major == version.major && c.version.minor == version.minor &&
           c.version.patch == version.patch;
  });
}

}  // namespace smharden::core
