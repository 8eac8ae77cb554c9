// What a plugin author meets at the edges of the SDK: a constructor that
// throws keeps its message, a params schema the host cannot use is refused at
// load naming the plugin and the place, and the manifest check reports every
// problem at once.
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "cli_runner.hpp"
#include "registry/params_schema_check.hpp"
#include "registry/plugin_manifest.hpp"
#include "registry/plugin_registry.hpp"
#include "run/plugin_call.hpp"

using smharden::core::params_schema_problems;
using smharden::core::parse_manifest;
using smharden::core::plugin_registry;
using json = nlohmann::json;

namespace {

std::string plugin_refusal(const plugin_registry& reg, const std::string& id) {
  for (const auto& r : reg.refusals()) {
    if (r.file.filename().string().rfind("smh-" + id + ".", 0) == 0) return r.reason;
  }
  return "(not refused)";
}

std::string problems_text(const json& schema) {
  std::string out;
  for (const auto& p : params_schema_problems(schema)) out += p.pointer + ": " + p.what + "\n";
  return out;
}

}  // namespace

TEST_CASE("sdk: a constructor's exception text reaches last_error and the step's error", "[registry][sdk]") {
  plugin_registry reg;
  reg.load_from({SDK_EDGE_DIR});
  const auto* p = reg.find("tp-throwing-ctor");
  REQUIRE(p != nullptr);

  smh_plugin_instance* inst = nullptr;
  CHECK(p->table().create(&inst) == SMH_ERR_FAILED);
  REQUIRE(inst != nullptr);
  CHECK(std::string(p->table().last_error(inst)) == "cannot open the settings cache: C:\\cache is missing");
  // An instance without a plugin object refuses calls instead of crashing.
  CHECK(p->table().check(inst, nullptr) == SMH_ERR_INVALID_ARGUMENT);
  p->table().destroy(inst);

  smharden::core::instance_pool pool;
  std::string error;
  CHECK(pool.get(*p, error) == nullptr);
  CHECK_THAT(error, Catch::Contains("could not create an instance") &&
                        Catch::Contains("cannot open the settings cache: C:\\cache is missing"));
}

TEST_CASE("sdk: a params schema the host cannot use is refused at load, naming the plugin and each place",
          "[registry][sdk]") {
  plugin_registry reg;
  reg.load_from({SDK_EDGE_DIR});
  CHECK(reg.find("tp-bad-schema") == nullptr);
  const std::string why = plugin_refusal(reg, "tp-bad-schema");
  INFO(why);
  CHECK_THAT(why, Catch::StartsWith("manifest of plugin \"tp-bad-schema\": "));
  CHECK_THAT(why, Catch::Contains("/params_schema/required: must be an array of property names, found \"port\""));
  CHECK_THAT(why, Catch::Contains("/params_schema/properties/port/type: \"integr\" is not a JSON Schema type"));
  CHECK_THAT(why, Catch::Contains("/params_schema/properties/port/minimum: must be a number, found \"1\""));
  CHECK_THAT(why, Catch::Contains(
                      "/params_schema/properties/hsts/properties/max_age/default: \"one year\" is not of the schema's "
                      "type \"integer\""));
  CHECK_THAT(why, Catch::Contains("/params_schema/properties/names/items: must be a schema"));
  CHECK(why.find('\n') == std::string::npos);
}

TEST_CASE("sdk: the manifest check reports every problem, not the first", "[registry][sdk]") {
  plugin_registry reg;
  reg.load_from({SDK_EDGE_DIR});
  const std::string why = plugin_refusal(reg, "tp-many-errors");
  INFO(why);
  for (const char* place : {"/version: \"one\" is not a semantic version", "/title: must be a string",
                            "/tags/1: must be a string", "/severity: must be info, low",
                            "/os_access: must be true or false", "/timeout_seconds: must be a whole number"}) {
    CHECK_THAT(why, Catch::Contains(place));
  }
  CHECK_THROWS_WITH(parse_manifest(R"({"title": 1})"), Catch::Contains("/id: is required") &&
                                                           Catch::Contains("/version: is required") &&
                                                           Catch::Contains("/title: must be a string"));
}

TEST_CASE("sdk: params schema checks", "[registry][sdk]") {
  CHECK(problems_text(json::parse(R"({"type": "object", "properties": {"a": {"type": ["string", "null"],
        "default": null}, "b": {"type": "integer", "default": 3.0, "minimum": 1}}, "required": ["a"]})")) == "");
  CHECK(problems_text(json::parse(R"({"type": "array"})")) ==
        "/type: must be \"object\" (params are always a JSON object), found \"array\"\n");
  CHECK(problems_text(json::parse("[]")) == ": must be a JSON Schema object (draft 7) describing the params object\n");
  CHECK_THAT(problems_text(json::parse(R"({"properties": {"a/b": {"enum": []}}})")),
             Catch::Contains("/properties/a~1b/enum: must be a non-empty array"));
  CHECK_THAT(problems_text(json::parse(R"({"properties": {"x": {"$ref": "#/nowhere"}}})")),
             Catch::StartsWith(": the schema validator cannot use it"));
}

TEST_CASE("sdk: the manifests of smharden's own plugins pass the schema checks", "[registry][sdk]") {
  std::size_t checked = 0;
  for (const auto& dir : std::filesystem::directory_iterator(smharden::test::source_dir() / "plugins")) {
    const auto file = dir.path() / "manifest.json";
    if (!std::filesystem::exists(file)) continue;
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    INFO(file.string());
    CHECK_NOTHROW(parse_manifest(text.str().c_str()));
    ++checked;
  }
  CHECK(checked >= 10);
}
