#include <catch2/catch.hpp>

#include "graph/semver.hpp"

using smharden::core::satisfies;
using smharden::core::semver;
using smharden::core::valid_range;

namespace {
semver v(const char* text) {
  auto parsed = semver::parse(text);
  REQUIRE(parsed);
  return *parsed;
}
}  // namespace

TEST_CASE("semver parses MAJOR.MINOR.PATCH with optional pre-release and build", "[semver]") {
  auto a = v("1.22.333");
  CHECK(a.major == 1);
  CHECK(a.minor == 22);
  CHECK(a.patch == 333);
  CHECK(a.prerelease.empty());
  CHECK(v("1.0.0-rc.1").prerelease == "rc.1");
  CHECK(v("1.0.0-rc.1+build.7").str() == "1.0.0-rc.1");
  CHECK(v("1.0.0+20260101").str() == "1.0.0");
}

TEST_CASE("semver rejects malformed versions", "[semver]") {
  for (const char* bad : {"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "a.b.c", "1.2.3-", "1.2.3-01",
                          "1.2.3-a..b", "1.2.3+", "1.2.3-a$b", " 1.2.3", "-1.2.3", "1.2.99999999999"}) {
    INFO(bad);
    CHECK_FALSE(semver::parse(bad));
  }
}

TEST_CASE("semver precedence follows SemVer 2.0.0", "[semver]") {
  // The ordering example of the SemVer spec, §11.
  const char* ordered[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                           "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                           "1.0.0-rc.1",  "1.0.0",         "1.0.1",
                           "1.1.0",       "2.0.0",         "10.0.0"};
  for (std::size_t i = 0; i + 1 < std::size(ordered); ++i) {
    INFO(ordered[i] << " < " << ordered[i + 1]);
    CHECK(v(ordered[i]) < v(ordered[i + 1]));
    CHECK_FALSE(v(ordered[i + 1]) < v(ordered[i]));
  }
  CHECK(v("1.0.0+a") == v("1.0.0+b"));
}

TEST_CASE("caret ranges", "[semver]") {
  CHECK(satisfies(v("1.2.3"), "^1.2.3"));
  CHECK(satisfies(v("1.9.0"), "^1.2.3"));
  CHECK_FALSE(satisfies(v("2.0.0"), "^1.2.3"));
  CHECK_FALSE(satisfies(v("1.2.2"), "^1.2.3"));
  // Below 1.0.0 the caret pins the first non-zero part.
  CHECK(satisfies(v("0.2.9"), "^0.2.3"));
  CHECK_FALSE(satisfies(v("0.3.0"), "^0.2.3"));
  CHECK(satisfies(v("0.0.3"), "^0.0.3"));
  CHECK_FALSE(satisfies(v("0.0.4"), "^0.0.3"));
}

TEST_CASE("tilde ranges", "[semver]") {
  CHECK(satisfies(v("1.2.9"), "~1.2.3"));
  CHECK_FALSE(satisfies(v("1.3.0"), "~1.2.3"));
  CHECK_FALSE(satisfies(v("1.2.2"), "~1.2.3"));
}

TEST_CASE("comparator sets, exact versions and *", "[semver]") {
  CHECK(satisfies(v("1.5.0"), ">=1.0.0 <2.0.0"));
  CHECK_FALSE(satisfies(v("2.0.0"), ">=1.0.0 <2.0.0"));
  CHECK_FALSE(satisfies(v("0.9.9"), ">=1.0.0 <2.0.0"));
  CHECK(satisfies(v("1.0.0"), "<=1.0.0"));
  CHECK_FALSE(satisfies(v("1.0.0"), ">1.0.0"));
  CHECK(satisfies(v("1.0.1"), ">1.0.0"));
  CHECK(satisfies(v("1.0.0"), ">= 1.0.0"));  // a space after the operator is allowed
  CHECK(satisfies(v("1.2.0"), "1.2.0"));
  CHECK_FALSE(satisfies(v("1.2.1"), "1.2.0"));
  CHECK(satisfies(v("1.2.0"), "=1.2.0"));
  CHECK(satisfies(v("7.7.7"), "*"));
}

TEST_CASE("pre-releases only match a range that names a pre-release of the same version", "[semver]") {
  CHECK_FALSE(satisfies(v("2.0.0-rc.1"), ">=1.0.0"));
  CHECK_FALSE(satisfies(v("1.5.0-beta"), "^1.0.0"));
  CHECK_FALSE(satisfies(v("1.0.0-beta"), "*"));
  CHECK(satisfies(v("1.2.3-beta.3"), "^1.2.3-beta.2"));
  CHECK_FALSE(satisfies(v("1.2.3-beta.1"), "^1.2.3-beta.2"));
  CHECK_FALSE(satisfies(v("1.2.4-beta.3"), "^1.2.3-beta.2"));
  CHECK(satisfies(v("1.2.4"), "^1.2.3-beta.2"));
  CHECK(satisfies(v("1.0.0-rc.1"), "=1.0.0-rc.1"));
}

TEST_CASE("invalid ranges say why", "[semver]") {
  std::string why;
  CHECK_FALSE(valid_range("", &why));
  CHECK(why.find("empty") != std::string::npos);
  CHECK_FALSE(valid_range("1.x", &why));
  CHECK(why == "\"1.x\" is not a version MAJOR.MINOR.PATCH[-prerelease]");
  CHECK_FALSE(valid_range(">=1.0", &why));
  CHECK_FALSE(valid_range("* >=1.0.0", &why));
  CHECK_FALSE(valid_range("=>1.0.0", &why));
  CHECK_FALSE(satisfies(v("1.0.0"), "1.x"));
  CHECK(valid_range("^1.2.3"));
  CHECK(valid_range(">=1.0.0 <2.0.0"));
  CHECK(valid_range("*"));
}
