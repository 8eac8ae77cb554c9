// The sm-version plugin's pure policy logic.
#include <catch2/catch.hpp>

#include "sm-version/version_policy.hpp"

using json = nlohmann::json;

TEST_CASE("sm-version: builds before the minimum are critical", "[smartermail][policy]") {
  using smharden::sm_version::parse_build;
  CHECK(parse_build("100.0.9511") == std::array<long long, 4>{100, 0, 9511, 0});
  CHECK(parse_build("9504 (Jan 8, 2026)") == std::array<long long, 4>{100, 0, 9504, 0});
  CHECK(parse_build("100.0.8930.39839") == std::array<long long, 4>{100, 0, 8930, 39839});
  CHECK_FALSE(parse_build("unknown"));
  auto f = smharden::sm_version::check({{"build", "100.0.9400"}}, json::object());
  REQUIRE(f.size() == 1);
  CHECK(f[0].severity == "critical");
  CHECK_FALSE(f[0].automated);
  CHECK(f[0].title.find("CVE-2026-23760") != std::string::npos);
  CHECK(smharden::sm_version::check({{"build", "100.0.9511"}}, json::object()).empty());
  CHECK(smharden::sm_version::check({{"build", "100.0.9511.1"}}, json::object()).empty());
  CHECK(smharden::sm_version::check({{"build", "100.0.9600"}}, {{"min_build", "100.0.9700"}}).size() == 1);
  CHECK(smharden::sm_version::check({{"build", "n/a"}}, json::object())[0].id == "unknown-build");
}
