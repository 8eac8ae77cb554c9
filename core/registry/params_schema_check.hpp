// Checks a plugin's params_schema when the plugin loads: a schema the host
// cannot use would otherwise surface only when a profile names the plugin.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace smharden::core {

struct schema_problem {
  std::string pointer;  ///< JSON pointer inside the schema ("" = the schema itself)
  std::string what;     ///< what is wrong and what is expected
};

/// Every problem of `schema` as a JSON Schema draft 7 for a plugin's params: keywords of the wrong
/// kind ("type": "integr", "required": "port", "minimum": "1"), subschemas that are not schemas, a
/// "default" of another type than its "type", a root that does not describe an object; then what
/// the validator itself refuses. Empty when the schema is usable.
std::vector<schema_problem> params_schema_problems(const nlohmann::json& schema);

}  // namespace smharden::core
