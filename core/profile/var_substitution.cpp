#include "profile/var_substitution.hpp"

#include <fmt/format.h>

#include "base/did_you_mean.hpp"
#include "base/errors.hpp"
#include "profile/problem_text.hpp"

namespace smharden::core {
namespace {

bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.'; }

struct context {
  const ordered_json& vars;
  const std::string& file;
};

const ordered_json& lookup(const context& ctx, const std::string& name, const std::string& text,
                           const std::string& pointer) {
  if (!valid_var_name(name)) {
    throw profile_error(
        problem_text(ctx.file, pointer, "a variable name (a letter or '_', then letters, digits, '_', '-' or '.')",
                     fmt::format("{} in {}", describe_value(ordered_json(name)), describe_value(ordered_json(text))),
                     "correct the name, or write \"$${\" for a literal \"${\""));
  }
  auto it = ctx.vars.find(name);
  if (it == ctx.vars.end()) {
    std::vector<std::string> known;
    for (const auto& [k, v] : ctx.vars.items()) known.push_back(k);
    throw profile_error(problem_text(
        ctx.file, pointer, "a variable defined in \"vars\"",
        fmt::format("{}, which uses the undefined variable \"{}\"", describe_value(ordered_json(text)), name),
        fmt::format("define \"{}\" under \"vars\" in this profile or one it extends, or write \"$${{\" for a literal "
                    "\"${{\".{}",
                    name, did_you_mean(name, known))));
  }
  return *it;
}

ordered_json substitute_string(const context& ctx, const std::string& s, const std::string& pointer) {
  // Exactly "${name}": the variable's value with its JSON type.
  if (s.size() > 3 && s.compare(0, 2, "${") == 0 && s.back() == '}' && s.find('}') == s.size() - 1) {
    return lookup(ctx, s.substr(2, s.size() - 3), s, pointer);
  }
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    if (s.compare(i, 3, "$${") == 0) {
      out += "${";
      i += 3;
    } else if (s.compare(i, 2, "${") == 0) {
      std::size_t close = s.find('}', i + 2);
      if (close == std::string::npos) {
        throw profile_error(problem_text(ctx.file, pointer, "\"}\" closing the \"${\"", describe_value(ordered_json(s)),
                                         "close the reference as \"${name}\", or write \"$${\" for a literal \"${\""));
      }
      const ordered_json& value = lookup(ctx, s.substr(i + 2, close - i - 2), s, pointer);
      if (value.is_string()) {
        out += value.get<std::string>();
      } else if (value.is_number() || value.is_boolean()) {
        out += value.dump();
      } else {
        throw profile_error(problem_text(
            ctx.file, pointer,
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

ordered_json substitute(const context& ctx, const ordered_json& value, const std::string& pointer) {
  if (value.is_string()) return substitute_string(ctx, value.get<std::string>(), pointer);
  if (value.is_object()) {
    ordered_json out = ordered_json::object();
    for (const auto& [k, v] : value.items()) out[k] = substitute(ctx, v, pointer_append(pointer, k));
    return out;
  }
  if (value.is_array()) {
    ordered_json out = ordered_json::array();
    for (std::size_t i = 0; i < value.size(); ++i) {
      out.push_back(substitute(ctx, value[i], pointer_append(pointer, std::to_string(i))));
    }
    return out;
  }
  return value;
}

}  // namespace

bool valid_var_name(const std::string& name) {
  if (name.empty() || !name_start(name[0])) return false;
  for (char c : name) {
    if (!name_char(c)) return false;
  }
  return true;
}

ordered_json substitute_vars(const ordered_json& value, const ordered_json& vars, const std::string& file,
                             const std::string& pointer) {
  return substitute(context{vars, file}, value, pointer);
}

}  // namespace smharden::core
