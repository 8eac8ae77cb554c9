// validate_params: valijson (draft 7) decides what is invalid; this file turns
// each of its terse errors into "<file>: <pointer>: expected ..., found ...
// Fix: ..." by looking at the schema and the value at the error's location.
#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "base/did_you_mean.hpp"
#include "base/errors.hpp"
#include "profile/param_text_check.hpp"
#include "profile/problem_text.hpp"
#include "profile/profile.hpp"

namespace smharden::core {
namespace {

using json = nlohmann::json;

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

std::size_t utf8_length(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

const json* resolve_ref(const json& root, const json* schema) {
  for (int depth = 0; schema && schema->is_object() && schema->contains("$ref") && depth < 16; ++depth) {
    const json& ref = (*schema)["$ref"];
    if (!ref.is_string() || !starts_with(ref.get<std::string>(), "#")) return schema;
    try {
      schema = &root.at(json::json_pointer(ref.get<std::string>().substr(1)));
    } catch (const json::exception&) {
      return nullptr;
    }
  }
  return schema;
}

// The subschema that governs the instance location `tokens` (nullptr when unknown).
const json* subschema_at(const json& root, const json& instance, const std::vector<std::string>& tokens) {
  const json* schema = resolve_ref(root, &root);
  const json* value = &instance;
  for (const std::string& token : tokens) {
    if (!schema || !schema->is_object()) return nullptr;
    const json* next = nullptr;
    if (value->is_object()) {
      if (schema->contains("properties") && (*schema)["properties"].contains(token)) {
        next = &(*schema)["properties"][token];
      } else if (schema->contains("patternProperties") && (*schema)["patternProperties"].is_object()) {
        for (const auto& [pattern, sub] : (*schema)["patternProperties"].items()) {
          try {
            if (std::regex_search(token, std::regex(pattern))) {
              next = &sub;
              break;
            }
          } catch (const std::regex_error&) {
          }
        }
      }
      if (!next && schema->contains("additionalProperties") && (*schema)["additionalProperties"].is_object()) {
        next = &(*schema)["additionalProperties"];
      }
      value = value->contains(token) ? &(*value)[token] : nullptr;
    } else if (value->is_array()) {
      std::size_t index = std::stoul(token);
      if (schema->contains("items")) {
        const json& items = (*schema)["items"];
        if (items.is_object()) {
          next = &items;
        } else if (items.is_array() && index < items.size()) {
          next = &items[index];
        } else if (schema->contains("additionalItems") && (*schema)["additionalItems"].is_object()) {
          next = &(*schema)["additionalItems"];
        }
      }
      value = index < value->size() ? &(*value)[index] : nullptr;
    } else {
      return nullptr;
    }
    if (!value) return nullptr;
    schema = resolve_ref(root, next);
  }
  return schema;
}

std::string type_phrase(const std::string& type) {
  if (type == "integer") return "an integer";
  if (type == "number") return "a number";
  if (type == "string") return "a string";
  if (type == "boolean") return "a boolean (true or false)";
  if (type == "array") return "an array";
  if (type == "object") return "an object";
  if (type == "null") return "null";
  return type;
}

std::string types_phrase(const json& type) {
  if (type.is_string()) return type_phrase(type.get<std::string>());
  if (type.is_array()) {
    std::vector<std::string> parts;
    for (const json& t : type) {
      if (t.is_string()) parts.push_back(type_phrase(t.get<std::string>()));
    }
    return fmt::format("{}", fmt::join(parts, " or "));
  }
  return "a value of another type";
}

// A short phrase for what one alternative of anyOf/oneOf accepts.
std::string schema_summary(const json& root, const json& schema) {
  const json* s = resolve_ref(root, &schema);
  if (!s || !s->is_object()) return "any value";
  if (s->contains("const")) return describe_value((*s)["const"]);
  if (s->contains("enum") && (*s)["enum"].is_array()) {
    std::vector<std::string> values;
    for (const json& v : (*s)["enum"]) values.push_back(describe_value(v));
    return fmt::format("one of {}", fmt::join(values, ", "));
  }
  if (s->contains("type")) return types_phrase((*s)["type"]);
  return "a value of another form";
}

struct located_value {
  std::string file;
  std::string pointer;  ///< into `file`
  const json* value;    ///< the instance at the error location (never null)
  const json* schema;   ///< its subschema, or nullptr
};

struct explanation {
  std::string expected, found, fix;
};

std::string number_text(const json* schema, const char* key) {
  return schema && schema->contains(key) ? (*schema)[key].dump() : "the limit";
}

// Turns one valijson error description into expected/found/fix. Empty
// `expected` means: not a leaf error (a parent repeating a child's failure).
explanation explain(const std::string& description, const located_value& at, const json& root,
                    const std::string& step_id) {
  const json& v = *at.value;
  const json* s = at.schema;
  explanation e;
  std::smatch m;
  if (description == "Value type not permitted by 'type' constraint.") {
    e.expected = s && s->contains("type") ? types_phrase((*s)["type"]) : "a value of another type";
    e.found = describe_typed(v);
    e.fix = "write it as " + e.expected;
    bool wants_number =
        e.expected.find("integer") != std::string::npos || e.expected.find("number") != std::string::npos;
    if (v.is_string() && wants_number) {
      const std::string text = v.get<std::string>();
      if (!text.empty() && text.find_first_not_of("0123456789.-") == std::string::npos) e.fix += ", without quotes";
    } else if (v.is_string() && e.expected.find("boolean") != std::string::npos) {
      e.fix = "write true or false without quotes";
    }
  } else if (description == "Failed to match against any enum values.") {
    std::vector<std::string> values, strings;
    if (s && s->contains("enum") && (*s)["enum"].is_array()) {
      for (const json& option : (*s)["enum"]) {
        values.push_back(describe_value(option));
        if (option.is_string()) strings.push_back(option.get<std::string>());
      }
    }
    e.expected = fmt::format("one of {}", fmt::join(values, ", "));
    e.found = describe_value(v);
    e.fix = "use one of the listed values." + (v.is_string() ? did_you_mean(v.get<std::string>(), strings) : "");
  } else if (description == "Failed to match expected value set by 'const' constraint.") {
    e.expected = s && s->contains("const") ? describe_value((*s)["const"]) : "a fixed value";
    e.found = describe_value(v);
    e.fix = "set it to " + e.expected;
  } else if (starts_with(description, "Expected number less than or equal to")) {
    e.expected = "a number <= " + number_text(s, "maximum");
    e.found = describe_value(v);
    e.fix = "use a value of at most " + number_text(s, "maximum");
  } else if (starts_with(description, "Expected number less than")) {
    std::string limit = s && s->contains("exclusiveMaximum") && (*s)["exclusiveMaximum"].is_number()
                            ? (*s)["exclusiveMaximum"].dump()
                            : number_text(s, "maximum");
    e.expected = "a number < " + limit;
    e.found = describe_value(v);
    e.fix = "use a value below " + limit;
  } else if (starts_with(description, "Expected number greater than or equal to")) {
    e.expected = "a number >= " + number_text(s, "minimum");
    e.found = describe_value(v);
    e.fix = "use a value of at least " + number_text(s, "minimum");
  } else if (starts_with(description, "Expected number greater than")) {
    std::string limit = s && s->contains("exclusiveMinimum") && (*s)["exclusiveMinimum"].is_number()
                            ? (*s)["exclusiveMinimum"].dump()
                            : number_text(s, "minimum");
    e.expected = "a number > " + limit;
    e.found = describe_value(v);
    e.fix = "use a value above " + limit;
  } else if (starts_with(description, "String should be no more than") ||
             starts_with(description, "String should be no fewer than")) {
    bool most = starts_with(description, "String should be no more than");
    std::string limit = number_text(s, most ? "maxLength" : "minLength");
    e.expected = fmt::format("a string of {} {} characters", most ? "at most" : "at least", limit);
    e.found =
        fmt::format("{} ({} characters)", describe_value(v), v.is_string() ? utf8_length(v.get<std::string>()) : 0);
    e.fix = most ? "shorten it" : "lengthen it";
  } else if (starts_with(description, "Array should contain no more than") ||
             starts_with(description, "Array should contain no fewer than")) {
    bool most = starts_with(description, "Array should contain no more than");
    std::string limit = number_text(s, most ? "maxItems" : "minItems");
    e.expected = fmt::format("an array of {} {} items", most ? "at most" : "at least", limit);
    e.found = fmt::format("{} items", v.size());
    e.fix = most ? "remove items" : "add items";
  } else if (starts_with(description, "Object should have no more than") ||
             starts_with(description, "Object should have no fewer than")) {
    bool most = starts_with(description, "Object should have no more than");
    std::string limit = number_text(s, most ? "maxProperties" : "minProperties");
    e.expected = fmt::format("an object with {} {} properties", most ? "at most" : "at least", limit);
    e.found = fmt::format("{} properties", v.size());
    e.fix = most ? "remove properties" : "add properties";
  } else if (description == "Failed to match regex specified by 'pattern' constraint.") {
    std::string pattern = s && s->contains("pattern") ? (*s)["pattern"].get<std::string>() : "?";
    e.expected = "a string matching the pattern " + pattern;
    e.found = describe_value(v);
    e.fix = "change the value so that it matches " + pattern;
  } else if (std::regex_match(description, m, std::regex(R"(String should be a valid (.*))"))) {
    e.expected = "a valid " + m[1].str();
    e.found = describe_value(v);
    e.fix = "write a valid " + m[1].str();
  } else if (std::regex_match(description, m, std::regex(R"(Missing required property '(.*)'\.)"))) {
    e.expected = fmt::format("the required property \"{}\"", m[1].str());
    e.found = "an object without it";
    e.fix = fmt::format("add \"{}\"", m[1].str());
    const json* prop = nullptr;
    if (s && s->contains("properties") && (*s)["properties"].contains(m[1].str())) {
      prop = resolve_ref(root, &(*s)["properties"][m[1].str()]);
    }
    if (prop && prop->is_object() && prop->contains("description") && (*prop)["description"].is_string()) {
      e.fix += fmt::format(" ({})", (*prop)["description"].get<std::string>());
    }
  } else if (std::regex_match(description, m, std::regex(R"(Elements at indexes #(\d+) and #(\d+) .*)"))) {
    e.expected = "items without duplicates";
    e.found = fmt::format("item {} repeating item {}", m[2].str(), m[1].str());
    e.fix = "remove the duplicate";
  } else if (starts_with(description, "Value should be a multiple of")) {
    e.expected = "a multiple of " + number_text(s, "multipleOf");
    e.found = describe_value(v);
    e.fix = "use a multiple of " + number_text(s, "multipleOf");
  } else if (description == "Failed to validate against any schemas allowed by anyOf constraint." ||
             description == "Failed to validate against any child schemas allowed by oneOf constraint." ||
             description == "Failed to validate against exactly one child schema.") {
    std::vector<std::string> options;
    const char* key = starts_with(description, "Failed to validate against any schemas") ? "anyOf" : "oneOf";
    if (s && s->contains(key) && (*s)[key].is_array()) {
      for (const json& option : (*s)[key]) options.push_back(schema_summary(root, option));
    }
    e.expected =
        options.empty() ? "a value of one of the accepted forms" : fmt::format("{}", fmt::join(options, " or "));
    if (description == "Failed to validate against exactly one child schema.") {
      e.expected = "a value matching exactly one of: " + e.expected;
    }
    e.found = describe_typed(v);
    e.fix = fmt::format("use one of the accepted forms (`smharden describe {}` shows the schema)", step_id);
  } else if (description == "Target should not validate against schema specified in 'not' constraint.") {
    e.expected = "a value the schema does not exclude";
    e.found = describe_value(v);
    e.fix = fmt::format("choose another value (`smharden describe {}` shows the schema)", step_id);
  } else if (starts_with(description, "Failed to validate") || starts_with(description, "Object contains a property")) {
    // Parents of a failure already reported at a deeper location, and
    // additionalProperties (reported per property by the caller).
  } else {
    e.expected = "a value the plugin's schema accepts (" + description + ")";
    e.found = describe_value(v);
    e.fix = fmt::format("see `smharden describe {}`", step_id);
  }
  return e;
}

struct step_problem {
  std::size_t param_rank;  ///< 0 for the params object, else 1 + the param's position in the profile
  std::string text;
};

void validate_step(const step_config& step, const json& schema_json, std::vector<step_problem>& out) {
  const json params = apply_schema_defaults(json(step.params), schema_json);
  std::vector<std::string> param_order;
  for (const auto& [name, value] : step.params.items()) param_order.push_back(name);

  valijson::Schema schema;
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_json);
    parser.populateSchema(schema_adapter, schema);
  } catch (const std::exception& e) {
    out.push_back({0, fmt::format("{}: {}: expected a plugin whose params schema is usable, found a schema valijson "
                                  "rejects ({}). Fix: report this to the plugin's author",
                                  step.file, step.pointer, e.what())});
    return;
  }
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(params);
  try {
    if (validator.validate(schema, target, &results)) return;
  } catch (const std::exception& e) {
    // valijson throws for e.g. "format" applied to an object; the type is wrong either way.
    out.push_back({0, problem_text(step.file, step.pointer + "/params", "params the plugin's schema can check",
                                   fmt::format("a value valijson could not check ({})", e.what()),
                                   fmt::format("compare the params with `smharden describe {}`", step.id))});
    return;
  }

  std::vector<valijson::ValidationResults::Error> errors(results.begin(), results.end());
  // anyOf/oneOf push their alternatives' errors right before their own; keep only the summary.
  std::vector<bool> dropped(errors.size(), false);
  for (std::size_t i = 0; i < errors.size(); ++i) {
    const std::string& d = errors[i].description;
    if (d != "Failed to validate against any schemas allowed by anyOf constraint." &&
        d != "Failed to validate against any child schemas allowed by oneOf constraint.") {
      continue;
    }
    const auto& ctx = errors[i].context;
    for (std::size_t j = i; j-- > 0 && !dropped[j];) {
      const auto& child = errors[j].context;
      if (child.size() < ctx.size() || !std::equal(ctx.begin(), ctx.end(), child.begin())) break;
      dropped[j] = true;
    }
  }

  std::set<std::string> seen;
  auto emit = [&](const std::vector<std::string>& tokens, const explanation& e) {
    std::string file = step.file;
    std::size_t rank = 0;  // problems with the params object itself come first
    if (!tokens.empty()) {
      auto origin = step.param_files.find(tokens[0]);
      if (origin != step.param_files.end()) file = origin->second;
      auto pos = std::find(param_order.begin(), param_order.end(), tokens[0]);
      rank = static_cast<std::size_t>(pos - param_order.begin()) + 1;
    }
    std::string pointer = step.pointer + "/params";
    for (const auto& t : tokens) pointer = pointer_append(pointer, t);
    std::string text = problem_text(file, pointer, e.expected, e.found, e.fix);
    if (seen.insert(text).second) out.push_back({rank, std::move(text)});
  };

  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (dropped[i]) continue;
    // valijson contexts look like ["<root>", "[name]", "[0]"].
    std::vector<std::string> tokens;
    for (std::size_t k = 1; k < errors[i].context.size(); ++k) {
      const std::string& c = errors[i].context[k];
      tokens.push_back(c.size() >= 2 ? c.substr(1, c.size() - 2) : c);
    }
    const json* value = &params;
    for (const auto& t : tokens) {
      if (value->is_object() && value->contains(t)) {
        value = &(*value)[t];
      } else if (value->is_array() && !t.empty() && t.find_first_not_of("0123456789") == std::string::npos &&
                 std::stoul(t) < value->size()) {
        value = &(*value)[std::stoul(t)];
      } else {
        value = nullptr;
        break;
      }
    }
    if (!value) continue;
    const json* sub = subschema_at(schema_json, params, tokens);

    if (starts_with(errors[i].description, "Object contains a property")) {
      // valijson names only the first unknown property; report each one.
      std::vector<std::string> known;
      if (sub && sub->contains("properties") && (*sub)["properties"].is_object()) {
        for (const auto& [name, unused] : (*sub)["properties"].items()) known.push_back(name);
      }
      for (const auto& [name, unused] : value->items()) {
        if (std::find(known.begin(), known.end(), name) != known.end()) continue;
        if (subschema_at(schema_json, params, [&, &key = name] {
              auto t = tokens;
              t.push_back(key);
              return t;
            }())) {
          continue;  // matched by patternProperties
        }
        std::vector<std::string> property_tokens = tokens;
        property_tokens.push_back(name);
        explanation e;
        e.expected = known.empty() ? "no properties here"
                                   : "one of the known parameters (" + fmt::format("{}", fmt::join(known, ", ")) + ")";
        e.found = fmt::format("\"{}\"", name);
        std::string suggestion = closest_match(name, known);
        // A parameter the plugin removed: its manifest says what replaces it.
        const json* removed =
            tokens.empty() && schema_json.contains("x-smharden-removed") ? &schema_json["x-smharden-removed"] : nullptr;
        if (removed != nullptr && removed->is_object() && removed->contains(name) && (*removed)[name].is_string()) {
          e.expected = fmt::format("no \"{}\": this version of the plugin removed it", name);
          e.fix = fmt::format("remove \"{}\": {}", name, (*removed)[name].get<std::string>());
          emit(property_tokens, e);
          continue;
        }
        e.fix = suggestion.empty()
                    ? fmt::format("remove \"{}\" (`smharden describe {}` lists the parameters)", name, step.id)
                    : fmt::format("rename it to \"{}\" (did you mean \"{}\"?), or remove it", suggestion, suggestion);
        emit(property_tokens, e);
      }
      continue;
    }
    located_value at{step.file, "", value, sub};
    explanation e = explain(errors[i].description, at, schema_json, step.id);
    if (!e.expected.empty()) emit(tokens, e);
  }
}

}  // namespace

namespace {

// Fills `value` in place from `schema`: absent properties get their "default", then every object
// (and every object in an array with an "items" schema) gets its own schema's defaults, at any depth.
void fill_defaults(json& value, const json& schema) {
  if (!schema.is_object()) return;
  if (value.is_object()) {
    const auto props = schema.find("properties");
    if (props == schema.end() || !props->is_object()) return;
    for (const auto& [name, property] : props->items()) {
      if (!property.is_object()) continue;
      if (!value.contains(name)) {
        if (!property.contains("default")) continue;
        value[name] = property["default"];
      }
      fill_defaults(value[name], property);
    }
  } else if (value.is_array()) {
    const auto items = schema.find("items");
    if (items == schema.end() || !items->is_object()) return;
    for (auto& element : value) fill_defaults(element, *items);
  }
}

}  // namespace

json apply_schema_defaults(const json& params, const json& schema) {
  json out = params.is_null() ? json::object() : params;
  if (!out.is_object()) return out;
  fill_defaults(out, schema);
  return out;
}

void validate_params(const profile& p, const std::map<std::string, json>& schemas_by_plugin) {
  std::vector<std::string> lines;
  std::vector<std::string> installed;
  installed.reserve(schemas_by_plugin.size());
  for (const auto& [id, schema] : schemas_by_plugin) installed.push_back(id);
  for (const step_config& step : p.steps) {
    if (!step.enabled) continue;
    auto it = schemas_by_plugin.find(step.id);
    if (it == schemas_by_plugin.end()) {
      lines.push_back(problem_text(step.file, step.pointer, "the id of an installed plugin",
                                   fmt::format("\"{}\", which no installed plugin has", step.id),
                                   installed.empty()
                                       ? "no plugin is installed at all: put the plugin files in the plugins "
                                         "folder beside smharden, or name their folder with --plugin-dir or "
                                         "SMHARDEN_PLUGIN_PATH"
                                       : "`smharden list` shows the installed plugins; correct the id, install the "
                                         "plugin, or set \"enabled\": false." +
                                             did_you_mean(step.id, installed)));
      continue;
    }
    std::vector<step_problem> problems;
    validate_step(step, it->second, problems);
    for (std::string& text : control_character_problems(step)) problems.push_back({0, std::move(text)});
    std::stable_sort(problems.begin(), problems.end(),
                     [](const step_problem& a, const step_problem& b) { return a.param_rank < b.param_rank; });
    for (auto& problem : problems) lines.push_back(std::move(problem.text));
  }
  if (!lines.empty()) throw profile_error(fmt::format("{}", fmt::join(lines, "\n")));
}

}  // namespace smharden::core
