#include <catch2/catch.hpp>

#include "base/errors.hpp"
#include "profile/profile.hpp"
#include "temp_profiles.hpp"

using namespace smharden::core;
using smharden::test::temp_profiles;
using json = nlohmann::json;

namespace {

// Shaped like a real plugin's params_schema (draft 7, defaults, no extra properties).
const json bindings_schema = json::parse(R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "additionalProperties": false,
  "required": ["site"],
  "properties": {
    "site": {"type": "string", "minLength": 1, "description": "the IIS site name"},
    "port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 9998},
    "mode": {"enum": ["allow", "deny"], "default": "deny"},
    "hosts": {"type": "array", "items": {"type": "string", "pattern": "^[a-z0-9.-]+$"}, "uniqueItems": true},
    "limits": {"type": "object", "additionalProperties": false,
               "properties": {"max": {"type": "integer"}, "window": {"$ref": "#/definitions/minutes"}}},
    "timeout": {"anyOf": [{"type": "integer"}, {"const": "auto"}]},
    "tls": {"type": "boolean", "default": true}
  },
  "definitions": {"minutes": {"type": "integer", "minimum": 1}}
})");

const std::map<std::string, json> schemas{{"iis-bindings", bindings_schema},
                                          {"accounts", json::parse(R"({"type": "object"})")}};

std::string validation_error(const profile& p, const std::map<std::string, json>& by_plugin = schemas) {
  try {
    validate_params(p, by_plugin);
  } catch (const profile_error& e) {
    CHECK(e.code() == exit_code::usage);
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("valid params pass", "[params]") {
  temp_profiles t;
  t.write("ok.json", R"({"steps": {"iis-bindings": {"params": {"site": "SmarterMail", "port": 443,
      "hosts": ["mail.example.com"], "limits": {"max": 5, "window": 30}, "timeout": "auto"}}}})");
  CHECK(validation_error(load_profile(t.path("ok.json"))).empty());
}

TEST_CASE("every invalid param is reported with file, pointer, expected, found and fix", "[params]") {
  temp_profiles t;
  t.write("base.json", R"({"vars": {"port": "8080"},
    "steps": {"iis-bindings": {"params": {"site": "SmarterMail", "mode": "alow", "hosts": ["Mail.Example.com", "a", "a"]}}}})");
  t.write("leaf.json", R"({"extends": "base.json",
    "steps": {"iis-bindings": {"params": {"port": "${port}", "prot": 1, "limits": {"max": "5", "window": 0}, "timeout": true}},
              "acounts": {"params": {}}}})");
  const std::string base = t.path("base.json"), leaf = t.path("leaf.json");
  CHECK(validation_error(load_profile(leaf)) ==
        base +
            ": /steps/iis-bindings/params/mode: expected one of \"allow\", \"deny\", found \"alow\". Fix: use one "
            "of the listed values. Did you mean \"allow\"?\n" +
            base +
            ": /steps/iis-bindings/params/hosts/0: expected a string matching the pattern ^[a-z0-9.-]+$, found "
            "\"Mail.Example.com\". Fix: change the value so that it matches ^[a-z0-9.-]+$\n" +
            base +
            ": /steps/iis-bindings/params/hosts: expected items without duplicates, found item 2 repeating item "
            "1. Fix: remove the duplicate\n" +
            leaf +
            ": /steps/iis-bindings/params/port: expected an integer, found a string \"8080\". Fix: write it as an "
            "integer, without quotes\n" +
            leaf +
            ": /steps/iis-bindings/params/prot: expected one of the known parameters (hosts, limits, mode, port, "
            "site, timeout, tls), found \"prot\". Fix: rename it to \"port\" (did you mean \"port\"?), or "
            "remove it\n" +
            leaf +
            ": /steps/iis-bindings/params/limits/max: expected an integer, found a string \"5\". Fix: write it "
            "as an integer, without quotes\n" +
            leaf +
            ": /steps/iis-bindings/params/limits/window: expected a number >= 1, found 0. Fix: use a value of at "
            "least 1\n" +
            leaf +
            ": /steps/iis-bindings/params/timeout: expected an integer or \"auto\", found a boolean true. Fix: use "
            "one of the accepted forms (`smharden describe iis-bindings` shows the schema)\n" +
            leaf +
            ": /steps/acounts: expected the id of an installed plugin, found \"acounts\", which no installed "
            "plugin has. Fix: `smharden list` shows the installed plugins; correct the id, install the plugin, or "
            "set \"enabled\": false. Did you mean \"accounts\"?");
}

TEST_CASE("a missing required param names the step's file", "[params]") {
  temp_profiles t;
  t.write("p.json", R"({"steps": {"iis-bindings": {"params": {"port": 70000, "tls": "yes"}}}})");
  const std::string p = t.path("p.json");
  CHECK(validation_error(load_profile(p)) ==
        p +
            ": /steps/iis-bindings/params: expected the required property \"site\", found an object without it. Fix: "
            "add \"site\" (the IIS site name)\n" +
            p +
            ": /steps/iis-bindings/params/port: expected a number <= 65535, found 70000. Fix: use a value of at most "
            "65535\n" +
            p +
            ": /steps/iis-bindings/params/tls: expected a boolean (true or false), found a string \"yes\". Fix: "
            "write true or false without quotes");
}

TEST_CASE("disabled steps are not validated, long values are shortened", "[params]") {
  temp_profiles t;
  t.write("p.json", R"({"steps": {"iis-bindings": {"params": {"site": ""}}, "unknown": {"enabled": false}}})");
  CHECK(validation_error(load_profile(t.path("p.json"))) ==
        t.path("p.json") +
            ": /steps/iis-bindings/params/site: expected a string of at least 1 characters, found "
            "\"\" (0 characters). Fix: lengthen it");
  t.write("long.json",
          R"({"steps": {"iis-bindings": {"params": {"site": "s", "mode": ")" + std::string(100, 'x') + R"("}}}})");
  std::string error = validation_error(load_profile(t.path("long.json")));
  CHECK(error.find("found \"" + std::string(56, 'x') + "...") != std::string::npos);
}

TEST_CASE("a schema valijson cannot use is reported, not a crash", "[params]") {
  temp_profiles t;
  t.write("p.json", R"({"steps": {"odd": {"params": {}}}})");
  std::map<std::string, json> odd{
      {"odd", json::parse(R"({"type": "object", "properties": {"x": {"$ref": "#/nowhere"}}})")}};
  CHECK(validation_error(load_profile(t.path("p.json")), odd)
            .find("/steps/odd: expected a plugin whose params schema "
                  "is usable") != std::string::npos);
}

TEST_CASE("apply_schema_defaults fills top-level defaults where unset", "[params]") {
  json out = apply_schema_defaults(json::parse(R"({"site": "x", "port": 443})"), bindings_schema);
  CHECK(out == json::parse(R"({"site": "x", "port": 443, "mode": "deny", "tls": true})"));
  CHECK(apply_schema_defaults(json(), bindings_schema) ==
        json::parse(R"({"port": 9998, "mode": "deny", "tls": true})"));
  CHECK(apply_schema_defaults(json::parse(R"({"a": 1})"), json::parse(R"({"type": "object"})")) ==
        json::parse(R"({"a": 1})"));
}

TEST_CASE("a value valijson cannot even check is reported, not thrown through", "[params]") {
  temp_profiles t;
  t.write("p.json", R"({"steps": {"dated": {"params": {"day": {"not": "a date"}}}}})");
  std::map<std::string, json> dated{
      {"dated", json::parse(R"({"type": "object", "properties": {"day": {"type": "string", "format": "date"}}})")}};
  std::string error = validation_error(load_profile(t.path("p.json")), dated);
  CHECK(error.find(t.path("p.json") + ": /steps/dated/params: expected params the plugin's schema can check") == 0);
}

TEST_CASE("with no plugin installed at all, the fix says where plugins are looked for", "[params]") {
  temp_profiles t;
  t.write("p.json", R"({"steps": {"accounts": {}}})");
  CHECK(validation_error(load_profile(t.path("p.json")), {}) ==
        t.path("p.json") +
            ": /steps/accounts: expected the id of an installed plugin, found \"accounts\", which no installed plugin "
            "has. Fix: no plugin is installed at all: put the plugin files in the plugins folder beside smharden, or "
            "name their folder with --plugin-dir or SMHARDEN_PLUGIN_PATH");
}
