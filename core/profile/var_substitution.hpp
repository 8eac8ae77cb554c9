// `${name}` substitution in step params. A string that is exactly "${x}"
// becomes the variable's JSON value (any type); "${x}" inside a longer string
// is replaced by the variable's text (strings as-is, numbers and booleans as
// JSON); "$${" writes a literal "${". Variable values are not themselves
// expanded.
#pragma once

#include <string>

#include "profile/profile.hpp"

namespace smharden::core {

/// True for names the profile may define: a letter or '_', then letters,
/// digits, '_', '-' or '.'.
bool valid_var_name(const std::string& name);

/// Returns `value` with every variable reference replaced. Throws
/// profile_error naming `file` and the JSON pointer (below `pointer`) of the
/// offending string for an undefined variable, an unclosed "${", a bad name,
/// or an object/array/null interpolated into a longer string.
ordered_json substitute_vars(const ordered_json& value, const ordered_json& vars, const std::string& file,
                             const std::string& pointer);

}  // namespace smharden::core
