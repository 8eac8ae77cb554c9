// A field of a report record (a finding, change or step) as text, whatever its
// JSON type: strings as they are, anything else as compact JSON with invalid
// UTF-8 replaced. Shared by the HTML, fleet HTML and SARIF writers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace smharden::core {

/// `object[key]` as text; "" when `object` is not an object or the field is missing or null.
template <class json_type>
std::string text_of(const json_type& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  return it->is_string() ? it->template get<std::string>()
                         : it->dump(-1, ' ', false, json_type::error_handler_t::replace);
}

}  // namespace smharden::core
