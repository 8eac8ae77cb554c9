#include "version_policy.hpp"

#include <cctype>

namespace smharden::sm_version {

std::optional<std::array<long long, 4>> parse_build(const std::string& text) {
  std::vector<long long> parts;
  std::size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    long long value = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      value = value * 10 + (text[i] - '0');
      if (value > 1000000000LL) return std::nullopt;
      ++i;
    }
    parts.push_back(value);
    if (i < text.size() && text[i] == '.' && i + 1 < text.size() &&
        std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
      ++i;
    } else {
      break;
    }
  }
  if (parts.empty() || parts.size() > 4) return std::nullopt;
  if (parts.size() == 1) parts = {100, 0, parts[0]};  // "9504 (Jan 8, 2026)" as in stProductBuild
  std::array<long long, 4> out{0, 0, 0, 0};
  for (std::size_t k = 0; k < parts.size(); ++k) out[k] = parts[k];
  return out;
}

std::vector<finding> check(const json& version, const json& params) {
  std::vector<finding> out;
  const std::string build = version.value("build", "");
  const std::string minimum = params.value("min_build", "100.0.9511");
  const auto have = parse_build(build);
  const auto want = parse_build(minimum);
  finding f;
  f.current = build;
  f.desired = ">= " + minimum;
  f.automated = false;
  if (!have) {
    f.id = "unknown-build";
    f.title = "The SmarterMail build \"" + build + "\" cannot be read";
    f.severity = "medium";
    f.remediation = "check the build in the web interface (Settings > About) and the route map entry version.value";
    out.push_back(f);
    return out;
  }
  if (!want) {  // what cannot be compared is never compliant
    f.id = "unreadable-minimum";
    f.title = "The minimum build \"" + minimum + "\" cannot be compared with build " + build;
    f.severity = "critical";
    f.remediation = "set min_build to up to four numbers of at most 9 digits each, e.g. \"100.0.9511\"";
    out.push_back(f);
    return out;
  }
  // Compare major.minor.build; a revision (100.0.8930.39839) does not change the fix level.
  if (std::array<long long, 3>{(*have)[0], (*have)[1], (*have)[2]} <
      std::array<long long, 3>{(*want)[0], (*want)[1], (*want)[2]}) {
    f.id = "outdated-build";
    f.title = "SmarterMail build " + build + " is older than " + minimum +
              " (CVE-2026-23760: unauthenticated reset of a system administrator's password, in CISA KEV)";
    f.severity = "critical";
    f.remediation =
        "Not automated: upgrade SmarterMail to build " + minimum +
        " or later (download the current release from SmarterTools, run the installer, then check again). Until "
        "then restrict access to the web interface (iis-ip) and watch for unexpected password changes.";
    out.push_back(f);
  }
  return out;
}

}  // namespace smharden::sm_version
