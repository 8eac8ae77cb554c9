// The one shape every profile problem is reported in:
//   "<file>: <json pointer>: expected <what>, found <what>. Fix: <how>"
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace smharden::core {

std::string problem_text(const std::string& file, const std::string& pointer, const std::string& expected,
                         const std::string& found, const std::string& fix);

/// Throws profile_error with problem_text(file, pointer, expected, found, fix).
[[noreturn]] void throw_problem(const std::string& file, const std::string& pointer, const std::string& expected,
                                const std::string& found, const std::string& fix);

/// `pointer` + "/" + `token`, with "~" and "/" escaped as RFC 6901 says.
std::string pointer_append(const std::string& pointer, const std::string& token);

/// Compact JSON of `value`, cut to about 60 characters ("..." marks a cut).
std::string short_json(const std::string& dumped);

/// "a string \"abc\"", "an integer 5", "a boolean true", "null", "an object {...}".
template <class json_type>
std::string describe_typed(const json_type& value) {
  std::string text = short_json(value.dump());
  switch (value.type()) {
    case nlohmann::json::value_t::string:
      return "a string " + text;
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
      return "an integer " + text;
    case nlohmann::json::value_t::number_float:
      return "a number " + text;
    case nlohmann::json::value_t::boolean:
      return "a boolean " + text;
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object " + text;
    case nlohmann::json::value_t::array:
      return "an array " + text;
    default:
      return text;
  }
}

template <class json_type>
std::string describe_value(const json_type& value) {
  return short_json(value.dump());
}

}  // namespace smharden::core
