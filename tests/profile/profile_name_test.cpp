// `--profile NAME`: a bare name is a shipped profile, anything else a path.
#include <catch2/catch.hpp>

#include "base/errors.hpp"
#include "profile/profile_name.hpp"
#include "temp_dir.hpp"

using namespace smharden::core;
using smharden::test::temp_dir;

namespace {
std::string resolve_error(const std::string& arg, const std::filesystem::path& folder) {
  try {
    resolve_profile_argument(arg, folder);
  } catch (const profile_error& e) {
    CHECK(e.code() == exit_code::usage);
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("a bare name is a shipped profile, a path or a .json file is a file", "[profile][name]") {
  CHECK(is_shipped_profile_name("baseline"));
  CHECK(is_shipped_profile_name("customer-example"));
  CHECK_FALSE(is_shipped_profile_name("baseline.json"));
  CHECK_FALSE(is_shipped_profile_name("Baseline.JSON"));
  CHECK_FALSE(is_shipped_profile_name("profiles/baseline"));
  CHECK_FALSE(is_shipped_profile_name("./baseline"));
  CHECK_FALSE(is_shipped_profile_name("profiles\\baseline"));
  CHECK_FALSE(is_shipped_profile_name("C:baseline"));
  CHECK_FALSE(is_shipped_profile_name("."));
  CHECK_FALSE(is_shipped_profile_name(".."));
  CHECK_FALSE(is_shipped_profile_name(""));
}

TEST_CASE("a shipped name resolves into the shipped folder and a path stays as given", "[profile][name]") {
  temp_dir shipped("smharden-shipped");
  const auto baseline = shipped.write("baseline.json", "{}");
  CHECK(resolve_profile_argument("baseline", shipped.path()) == baseline);
  CHECK(resolve_profile_argument("my/baseline", shipped.path()) == std::filesystem::path("my/baseline"));
  CHECK(resolve_profile_argument("baseline.json", shipped.path()) == std::filesystem::path("baseline.json"));
}

TEST_CASE("an unknown shipped name says where it looked and what is shipped", "[profile][name]") {
  temp_dir shipped("smharden-shipped");
  shipped.write("baseline.json", "{}");
  shipped.write("strict.json", "{}");
  shipped.write("schema/profile.schema.json", "{}");
  const std::string expected = "profile \"basline\": no shipped profile of that name: looked for " +
                               (shipped.path() / "basline.json").string() +
                               " (shipped: baseline, strict). A name without a path or \".json\" names a shipped "
                               "profile; give a path for a profile of your own";
  CHECK(resolve_error("basline", shipped.path()) == expected);
  CHECK_THAT(resolve_error("x", shipped.path() / "missing"), Catch::Contains("that folder holds no profiles"));
  CHECK_THAT(resolve_error("x", {}), Catch::Contains("the folder of shipped profiles is unknown"));
}
