// Semantic versions (MAJOR.MINOR.PATCH[-pre]) and the ranges plugins use in
// `requires`: space-separated comparators (">=1.2.0 <2.0.0"), "^1.2.0",
// "~1.2.0", "=1.2.0", a bare "1.2.0" (exact) and "*".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace smharden::core {

struct semver {
  unsigned major = 0, minor = 0, patch = 0;
  std::string prerelease;

  static std::optional<semver> parse(std::string_view text);
  std::string str() const;
  friend int compare(const semver& a, const semver& b);
  friend bool operator<(const semver& a, const semver& b) { return compare(a, b) < 0; }
  friend bool operator==(const semver& a, const semver& b) { return compare(a, b) == 0; }
};

/// True when `range` parses; `error` receives why not.
bool valid_range(std::string_view range, std::string* error = nullptr);
/// True when `version` satisfies `range` (pre-releases only match a range that names one).
bool satisfies(const semver& version, std::string_view range);

}  // namespace smharden::core
