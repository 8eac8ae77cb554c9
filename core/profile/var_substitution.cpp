#include "profile/var_substitution.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "base/did_you_mean.hpp"
#include "base/errors.hpp"
#include "profile/problem_text.hpp"

namespace smharden::core {
namespace {

bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

}  // namespace

bool valid_var_name(const std::string& name) {
  if (name.empty() || !name_start(name[0])) return false;
  return std::all_of(name.begin(), name.end(), name_char);
}

var_resolver::var_resolver(const ordered_json& vars, const std::unordered_map<std::string, std::string>& var_files)
    : vars_(vars), var_files_(var_files) {
  index_.reserve(vars.size());
  for (const auto& [name, value] : vars.items()) index_[name] = &value;
}

const ordered_json& var_resolver::resolved(const std::string& name, const std::string& text, const std::string& file,
                                           const std::string& pointer) {
  if (!valid_var_name(name)) {
    throw profile_error(
        problem_text(file, pointer, "a variable name (a letter or '_', then letters, digits, '_', '-' or '.')",
                     fmt::format("{} in {}", describe_value(ordered_json(name)), describe_value(ordered_json(text))),
                     "correct the name, or write \"$${\" for a literal \"${\""));
  }
  if (auto done = done_.find(name); done != done_.end()) return done->second;
  auto it = index_.find(name);
  if (it == index_.end()) {
    std::vector<std::string> known;
    for (const auto& [k, v] : vars_.items()) known.push_back(k);
    throw profile_error(problem_text(
        file, pointer, "a variable defined in \"vars\"",
        fmt::format("{}, which uses the undefined variable \"{}\"", describe_value(ordered_json(text)), name),
        fmt::format("define \"{}\" under \"vars\" in this profile or one it extends, or write \"$${{\" for a literal "
                    "\"${{\".{}",
                    name, did_you_mean(name, known))));
  }
  if (auto loop = std::find(resolving_.begin(), resolving_.end(), name); loop != resolving_.end()) {
    std::vector<std::string> cycle(loop, resolving_.end());
    cycle.push_back(name);
    throw profile_error(problem_text(file, pointer, "variables that do not refer to themselves",
                                     fmt::format("a cycle: {}", fmt::join(cycle, " -> ")),
                                     "give one of these variables a value without \"${...}\", or write \"$${\" for a "
                                     "literal \"${\""));
  }
  if (resolving_.size() >= max_var_chain) {
    throw profile_error(problem_text(
        file, pointer, fmt::format("variables that refer to other variables at most {} deep", max_var_chain),
        fmt::format("a longer chain: {} -> {} ...", fmt::join(resolving_.begin(), resolving_.begin() + 3, " -> "),
                    name),
        "give the variables their values directly"));
  }
  auto origin = var_files_.find(name);
  const std::string& var_file = origin != var_files_.end() ? origin->second : file;
  resolving_.push_back(name);
  ordered_json value = substitute(*it->second, var_file, pointer_append("/vars", name));
  resolving_.pop_back();
  return done_.emplace(name, std::move(value)).first->second;
}

ordered_json var_resolver::substitute_string(const std::string& s, const std::string& file,
                                             const std::string& pointer) {
  // Exactly "${name}": the variable's value with its JSON type.
  if (s.size() > 3 && s.compare(0, 2, "${") == 0 && s.back() == '}' && s.find('}') == s.size() - 1) {
    return resolved(s.substr(2, s.size() - 3), s, file, pointer);
  }
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
    } else if (s.compare(i, 2, "${") == 0) {
      std::size_t close = s.find('}', i + 2);
      if (close == std::string::npos) {
        throw profile_error(problem_text(file, pointer, "\"}\" closing the \"${\"", describe_value(ordered_json(s)),
                                         "close the reference as \"${name}\", or write \"$${\" for a literal \"${\""));
      }
      const ordered_json& value = resolved(s.substr(i + 2, close - i - 2), s, file, pointer);
      if (value.is_string()) {
        out += value.get<std::string>();
      } else if (value.is_number() || value.is_boolean()) {
        out += value.dump();
      } else {
        throw profile_error(problem_text(
            file, pointer,
            fmt::format("variable \"{}\" to be a string, number or boolean when used inside a longer string",
                        s.substr(i + 2, close - i - 2)),
            describe_typed(value),
            "use the variable as the whole value (\"${name}\" alone keeps its type), or give it a scalar value"));
      }
      i = close + 1;
    } else {
      out += s[i++];
    }
  }
  return out;
}

// Recurses along the value only: profiles are read at most profile_json_limits.max_depth deep.
ordered_json var_resolver::substitute(const ordered_json& value, const std::string& file, const std::string& pointer) {
  if (value.is_string()) return substitute_string(value.get<std::string>(), file, pointer);
  if (value.is_object()) {
    ordered_json out = ordered_json::object();
    auto& members = out.get_ref<ordered_json::object_t&>();
    members.reserve(value.size());
    for (const auto& [k, v] : value.items()) members.emplace_back(k, substitute(v, file, pointer_append(pointer, k)));
    return out;
  }
  if (value.is_array()) {
    ordered_json out = ordered_json::array();
    for (std::size_t i = 0; i < value.size(); ++i) {
      out.push_back(substitute(value[i], file, pointer_append(pointer, std::to_string(i))));
    }
    return out;
  }
  return value;
}

}  // namespace smharden::core
