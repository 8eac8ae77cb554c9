// Manifests a broken or hostile plugin can export: refused with a one-line
// reason (std::invalid_argument), never a crash or a raw JSON library error.
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

#include "registry/plugin_manifest.hpp"

using smharden::core::parse_manifest;

TEST_CASE("a non-string dependency version is a manifest error", "[registry][input]") {
  for (const char* version : {"1", "null", "[\"1.0.0\"]", "{}", "true"}) {
    const std::string text =
        std::string(R"({"id": "x", "version": "1.0.0", "title": "t", "requires": [{"id": "y", "version": )") + version +
        "}]}";
    INFO(text);
    CHECK_THROWS_WITH(parse_manifest(text.c_str()),
                      Catch::Contains("/requires/0/version") && Catch::Contains("must be a semver range string"));
  }
}

TEST_CASE("plugin ids are checked without recursion, whatever their length", "[registry][input]") {
  const auto manifest = [](const std::string& id) {
    return R"({"id": ")" + id + R"(", "version": "1.0.0", "title": "t"})";
  };
  // libstdc++'s std::regex recursed once per character here and overflowed the stack.
  std::string long_id(200001, 'a');
  CHECK(parse_manifest(manifest(long_id).c_str()).id == long_id);
  for (size_t i = 1; i < long_id.size(); i += 2) long_id[i] = '-';
  CHECK(parse_manifest(manifest(long_id).c_str()).id == long_id);
  for (const char* good : {"a", "iis-ip", "sm-2fa", "a1-b2-c3"})
    CHECK(parse_manifest(manifest(good).c_str()).id == good);
  for (const char* bad : {"", "-a", "a-", "a--b", "1a", "A", "a_b", "a b", "a.b", "é"}) {
    INFO(bad);
    CHECK_THROWS_WITH(parse_manifest(manifest(bad).c_str()), Catch::Contains("must be lower-case words"));
  }
}
