#include <catch2/catch.hpp>
#include <string>

#include "registry/plugin_registry.hpp"

using smharden::core::plugin_registry;

namespace {

std::string refusal_for(const plugin_registry& reg, const std::string& file_name) {
  for (const auto& r : reg.refusals()) {
    if (r.file.filename() == file_name) return r.reason;
  }
  return "(not refused)";
}

}  // namespace

TEST_CASE("the registry loads test plugins in sorted order with their manifests", "[registry]") {
  plugin_registry reg;
  reg.load_from({TEST_PLUGIN_DIR});
  CHECK(reg.refusals().empty());
  const auto* alpha = reg.find("tp-alpha");
  REQUIRE(alpha != nullptr);
  CHECK(alpha->manifest().version == "1.2.0");
  CHECK(alpha->manifest().tags == std::vector<std::string>{"a", "windows"});
  const auto* beta = reg.find("tp-beta");
  REQUIRE(beta != nullptr);
  REQUIRE(beta->manifest().requires_.size() == 1);
  CHECK(beta->manifest().requires_[0].id == "tp-alpha");
  CHECK(beta->manifest().requires_[0].range == ">=1.0.0 <2.0.0");
  const auto all = reg.plugins();
  REQUIRE(all.size() == 8);
  CHECK(all.front()->manifest().id == "tp-alpha");
}

TEST_CASE("the registry refuses each bad module with a one-line reason and keeps loading", "[registry]") {
  plugin_registry reg;
  reg.load_from({TEST_PLUGIN_DIR, REFUSED_DIR});
  CHECK(reg.find("tp-alpha") != nullptr);
  CHECK(reg.find("tp-gamma") != nullptr);
  CHECK_THAT(refusal_for(reg, "garbage.so"), Catch::Contains("not a loadable plugin module"));
  CHECK_THAT(refusal_for(reg, "no_entry.so"), Catch::Contains("no smharden_plugin_v1 entry point"));
  CHECK_THAT(refusal_for(reg, "major_symbol.so"),
             Catch::Contains("exports smharden_plugin_v2") && Catch::Contains("ABI major 1"));
  CHECK_THAT(refusal_for(reg, "major_field.so"), Catch::Contains("built for plugin ABI 2.0"));
  CHECK_THAT(refusal_for(reg, "newer_minor.so"), Catch::Contains("newer than this host's 1.0; upgrade smharden"));
  CHECK_THAT(refusal_for(reg, "short_table.so"), Catch::Contains("smaller than ABI 1.0 requires"));
  CHECK_THAT(refusal_for(reg, "reserved_nonzero.so"),
             Catch::Contains("plugin table has reserved0 = 7; ABI 1 requires 0"));
  CHECK(reg.find("refused-module") == nullptr);
  CHECK_THAT(refusal_for(reg, "bad_manifest.so"),
             Catch::Contains("manifest of plugin \"bad-manifest\": /version: \"one\" is not a semantic version"));
  CHECK_THAT(refusal_for(reg, "duplicate.so"), Catch::Contains("duplicate plugin id \"tp-alpha\""));
  CHECK(reg.refusals().size() == 9);
  for (const auto& r : reg.refusals()) CHECK(r.reason.find('\n') == std::string::npos);
}

TEST_CASE("manifest validation names the pointer and the problem", "[registry]") {
  using smharden::core::parse_manifest;
  CHECK_THROWS_WITH(parse_manifest(R"({"version": "1.0.0", "title": "t"})"), "manifest: /id: is required");
  CHECK_THROWS_WITH(parse_manifest(R"({"id": "Bad_Id", "version": "1.0.0", "title": "t"})"),
                    Catch::Contains("/id: \"Bad_Id\" must be lower-case words"));
  CHECK_THROWS_WITH(
      parse_manifest(R"({"id": "x", "version": "1.0.0", "title": "t", "requires": [{"id": "y", "version": "1.x"}]})"),
      Catch::Contains("/requires/0/version: \"1.x\" is not a semver range"));
  CHECK_THROWS_WITH(parse_manifest(R"({"id": "x", "version": "1.0.0", "title": "t", "severity": "urgent"})"),
                    Catch::Contains("/severity"));
  CHECK_THROWS_WITH(parse_manifest(R"({"id": "x", "version": "1.0.0", "title": "t", "requires": [{"id": "x"}]})"),
                    Catch::Contains("cannot require itself"));
  CHECK_THROWS_WITH(parse_manifest("not json"), "manifest: not valid JSON");
  const auto m = parse_manifest(R"({"id": "x", "version": "1.0.0", "title": "t", "requires": [{"id": "y"}]})");
  CHECK(m.requires_.at(0).range == "*");
  CHECK(m.severity == "medium");
}
