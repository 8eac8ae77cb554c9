// Defaults of a plugin's params schema at any depth: nested objects, objects
// in arrays, and objects created from their own default.
#include <catch2/catch.hpp>

#include "profile/profile.hpp"

using smharden::core::apply_schema_defaults;
using json = nlohmann::json;

namespace {

const json headers_schema = json::parse(R"({
  "type": "object",
  "properties": {
    "site": {"type": "string", "default": "Default Web Site"},
    "hsts": {
      "type": "object",
      "default": {},
      "properties": {
        "max_age": {"type": "integer", "default": 31536000},
        "include_subdomains": {"type": "boolean", "default": true}
      }
    },
    "tls": {
      "type": "object",
      "properties": {"min_version": {"type": "string", "default": "1.2"}, "ciphers": {"type": "array"}}
    },
    "headers": {
      "type": "array",
      "items": {"type": "object", "properties": {"name": {"type": "string"}, "remove": {"type": "boolean", "default": false}}}
    }
  }
})");

}  // namespace

TEST_CASE("schema defaults: a nested object given in the profile gets its defaults", "[params][defaults]") {
  const json out = apply_schema_defaults(json::parse(R"({"tls": {}, "hsts": {"max_age": 600}})"), headers_schema);
  CHECK(out["tls"] == json::parse(R"({"min_version": "1.2"})"));
  CHECK(out["hsts"] == json::parse(R"({"max_age": 600, "include_subdomains": true})"));
  CHECK(out["site"] == "Default Web Site");
}

TEST_CASE("schema defaults: an absent object is made from its default and filled, without one it stays absent",
          "[params][defaults]") {
  const json out = apply_schema_defaults(json::object(), headers_schema);
  CHECK(out["hsts"] == json::parse(R"({"max_age": 31536000, "include_subdomains": true})"));
  CHECK_FALSE(out.contains("tls"));
  CHECK_FALSE(out.contains("headers"));
}

TEST_CASE("schema defaults: each object of an array with an items schema gets its defaults", "[params][defaults]") {
  const json out = apply_schema_defaults(
      json::parse(R"({"headers": [{"name": "X-Powered-By", "remove": true}, {"name": "X-Frame-Options"}]})"),
      headers_schema);
  CHECK(out["headers"] == json::parse(R"([{"name": "X-Powered-By", "remove": true},
                                          {"name": "X-Frame-Options", "remove": false}])"));
}

TEST_CASE("schema defaults: values of another type than the schema's are left for validation to refuse",
          "[params][defaults]") {
  const json out = apply_schema_defaults(json::parse(R"({"tls": "strong", "headers": {"a": 1}})"), headers_schema);
  CHECK(out["tls"] == "strong");
  CHECK(out["headers"] == json::parse(R"({"a": 1})"));
}
