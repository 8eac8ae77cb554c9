#include "registry/params_schema_check.hpp"

#include <fmt/format.h>

#include <array>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>

#include "base/json_reader.hpp"

namespace smharden::core {
namespace {

using nlohmann::json;

constexpr std::array<const char*, 7> type_names = {"null", "boolean", "object", "array", "number", "string", "integer"};

bool known_type(const json& t) {
  if (!t.is_string()) return false;
  for (const char* name : type_names) {
    if (t == name) return true;
  }
  return false;
}

/// Whether `value` is of JSON Schema type `type` ("integer" includes whole floats as draft 7 says).
bool has_type(const json& value, const std::string& type) {
  if (type == "null") return value.is_null();
  if (type == "boolean") return value.is_boolean();
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "number") return value.is_number();
  if (type == "integer") {
    return value.is_number_integer() ||
           (value.is_number_float() && value.get<double>() == static_cast<long long>(value.get<double>()));
  }
  return false;
}

class checker {
 public:
  std::vector<schema_problem> problems;

  void schema(const json& s, const std::string& at) {
    if (s.is_boolean()) return;
    if (!s.is_object()) {
      bad(at, fmt::format("must be a schema (an object or true/false), found {}", s.dump()));
      return;
    }
    type_keyword(s, at);
    for (const char* key : {"properties", "patternProperties", "definitions"}) schema_map(s, key, at);
    for (const char* key :
         {"additionalProperties", "additionalItems", "not", "if", "then", "else", "contains", "propertyNames"}) {
      if (s.contains(key)) schema(s[key], at + "/" + key);
    }
    for (const char* key : {"allOf", "anyOf", "oneOf"}) schema_list(s, key, at, false);
    if (s.contains("items")) {
      if (s["items"].is_array()) {
        schema_list(s, "items", at, true);
      } else {
        schema(s["items"], at + "/items");
      }
    }
    string_list(s, "required", at);
    if (s.contains("enum") && (!s["enum"].is_array() || s["enum"].empty())) {
      bad(at + "/enum", "must be a non-empty array of the allowed values");
    }
    for (const char* key : {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}) {
      if (s.contains(key) && !s[key].is_number())
        bad(at + "/" + key, fmt::format("must be a number, found {}", s[key].dump()));
    }
    if (s.contains("multipleOf") && (!s["multipleOf"].is_number() || s["multipleOf"].get<double>() <= 0)) {
      bad(at + "/multipleOf", "must be a number greater than 0");
    }
    for (const char* key : {"minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"}) {
      if (s.contains(key) &&
          !(s[key].is_number_unsigned() || (s[key].is_number_integer() && s[key].get<long long>() >= 0))) {
        bad(at + "/" + key, fmt::format("must be a whole number of at least 0, found {}", s[key].dump()));
      }
    }
    for (const char* key : {"pattern", "format", "$ref", "$schema", "$id", "title", "description"}) {
      if (s.contains(key) && !s[key].is_string())
        bad(at + "/" + key, fmt::format("must be a string, found {}", s[key].dump()));
    }
    default_keyword(s, at);
  }

 private:
  void bad(const std::string& at, std::string what) { problems.push_back({at, std::move(what)}); }

  void type_keyword(const json& s, const std::string& at) {
    if (!s.contains("type")) return;
    const json& t = s["type"];
    const std::string expected = "a JSON Schema type (null, boolean, object, array, number, string, integer)";
    if (t.is_array()) {
      if (t.empty()) bad(at + "/type", "must name at least one type");
      for (std::size_t i = 0; i < t.size(); ++i) {
        if (!known_type(t[i]))
          bad(fmt::format("{}/type/{}", at, i), fmt::format("{} is not {}", t[i].dump(), expected));
      }
    } else if (!known_type(t)) {
      bad(at + "/type", fmt::format("{} is not {}", t.dump(), expected));
    }
  }

  void schema_map(const json& s, const char* key, const std::string& at) {
    if (!s.contains(key)) return;
    if (!s[key].is_object()) {
      bad(at + "/" + key, "must be an object of schemas, one per name");
      return;
    }
    for (const auto& [name, sub] : s[key].items()) schema(sub, at + "/" + key + "/" + json_pointer_token(name));
  }

  void schema_list(const json& s, const char* key, const std::string& at, bool may_be_empty) {
    if (!s.contains(key)) return;
    if (!s[key].is_array() || (!may_be_empty && s[key].empty())) {
      bad(at + "/" + key, "must be a non-empty array of schemas");
      return;
    }
    for (std::size_t i = 0; i < s[key].size(); ++i) schema(s[key][i], fmt::format("{}/{}/{}", at, key, i));
  }

  void string_list(const json& s, const char* key, const std::string& at) {
    if (!s.contains(key)) return;
    if (!s[key].is_array()) {
      bad(at + "/" + key, fmt::format("must be an array of property names, found {}", s[key].dump()));
      return;
    }
    for (std::size_t i = 0; i < s[key].size(); ++i) {
      if (!s[key][i].is_string()) bad(fmt::format("{}/{}/{}", at, key, i), "must be a property name (a string)");
    }
  }

  void default_keyword(const json& s, const std::string& at) {
    if (!s.contains("default") || !s.contains("type")) return;
    const json& t = s["type"];
    std::vector<std::string> allowed;
    if (known_type(t)) allowed.push_back(t.get<std::string>());
    if (t.is_array()) {
      for (const auto& one : t) {
        if (known_type(one)) allowed.push_back(one.get<std::string>());
      }
    }
    if (allowed.empty()) return;  // the type is already reported
    for (const auto& type : allowed) {
      if (has_type(s["default"], type)) return;
    }
    bad(at + "/default", fmt::format("{} is not of the schema's type {}", s["default"].dump(), t.dump()));
  }
};

}  // namespace

std::vector<schema_problem> params_schema_problems(const json& schema) {
  checker c;
  if (!schema.is_object()) {
    c.problems.push_back({"", "must be a JSON Schema object (draft 7) describing the params object"});
    return c.problems;
  }
  if (schema.contains("type") && schema["type"] != "object") {
    c.problems.push_back({"/type", fmt::format("must be \"object\" (params are always a JSON object), found {}",
                                               schema["type"].dump())});
  }
  c.schema(schema, "");
  if (!c.problems.empty()) return c.problems;
  // What the checks above do not cover (an unresolvable $ref, ...): the validator's own verdict.
  try {
    valijson::Schema parsed;
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(schema);
    parser.populateSchema(adapter, parsed);
  } catch (const std::exception& e) {
    c.problems.push_back({"", fmt::format("the schema validator cannot use it: {}", e.what())});
  }
  return c.problems;
}

}  // namespace smharden::core
