// `${name}` substitution in step params. A string that is exactly "${x}"
// becomes the variable's JSON value (any type); "${x}" inside a longer string
// is replaced by the variable's text (strings as-is, numbers and booleans as
// JSON); "$${" writes a literal "${". A variable's value may itself use other
// variables (up to max_var_chain deep); a variable that refers back to itself,
// directly or through others, is an error that shows the cycle.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "profile/profile.hpp"

namespace smharden::core {

/// How many variables one reference may pass through ("${a}" -> a uses b -> ...).
inline constexpr std::size_t max_var_chain = 16;

/// True for names the profile may define: a letter or '_', then letters,
/// digits, '_', '-' or '.'.
bool valid_var_name(const std::string& name);

/// Resolves references against one set of variables, each variable once.
class var_resolver {
 public:
  /// `vars` and `var_files` (variable name -> the profile file that set it) must outlive the resolver.
  var_resolver(const ordered_json& vars, const std::unordered_map<std::string, std::string>& var_files);

  /// Returns `value` with every variable reference replaced. Throws
  /// profile_error naming `file` and the JSON pointer (below `pointer`) of the
  /// offending string for an undefined variable, an unclosed "${", a bad name,
  /// an object/array/null interpolated into a longer string, or a cycle.
  ordered_json substitute(const ordered_json& value, const std::string& file, const std::string& pointer);

 private:
  const ordered_json& resolved(const std::string& name, const std::string& text, const std::string& file,
                               const std::string& pointer);
  ordered_json substitute_string(const std::string& s, const std::string& file, const std::string& pointer);

  const ordered_json& vars_;
  const std::unordered_map<std::string, std::string>& var_files_;
  std::unordered_map<std::string, const ordered_json*> index_;
  std::unordered_map<std::string, ordered_json> done_;
  std::vector<std::string> resolving_;  ///< the chain being resolved, for cycle messages
};

}  // namespace smharden::core
