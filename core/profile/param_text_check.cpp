#include "profile/param_text_check.hpp"

#include <fmt/format.h>

#include <optional>
#include <utility>

#include "profile/problem_text.hpp"

namespace smharden::core {
namespace {

struct control_char {
  unsigned code;
  std::size_t position;  ///< 1-based, in characters
};

// C0 (U+0000-U+001F), DEL (U+007F) and C1 (U+0080-U+009F, UTF-8 C2 80-C2 9F).
std::optional<control_char> first_control(const std::string& s) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0U) != 0x80U) ++chars;
    if (c < 0x20U || c == 0x7FU) return control_char{c, chars};
    if (c == 0xC2U && i + 1 < s.size()) {
      const auto next = static_cast<unsigned char>(s[i + 1]);
      if (next >= 0x80U && next <= 0x9FU) return control_char{next, chars};
    }
  }
  return std::nullopt;
}

// The pointer as it can be printed: control characters written as \u escapes.
std::string printable(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20U || c == 0x7FU) {
      out += fmt::format("\\u{:04x}", c);
    } else if (c == 0xC2U && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80U &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9FU) {
      out += fmt::format("\\u{:04x}", static_cast<unsigned char>(s[++i]));
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::vector<std::string> control_character_problems(const step_config& step) {
  std::vector<std::string> out;
  auto report = [&](const std::string& top, const std::string& pointer, const control_char& c, const char* what) {
    auto origin = step.param_files.find(top);
    const std::string& file = origin != step.param_files.end() ? origin->second : step.file;
    out.push_back(problem_text(file, printable(pointer), "text without control characters",
                               fmt::format("{} with U+{:04X} at character {}", what, c.code, c.position),
                               "remove the control character; names, paths, hosts and descriptions never need one"));
  };
  // Iterative: the values are bounded in depth, but nothing here needs the stack.
  struct item {
    const ordered_json* value;
    std::string pointer;
    std::string top;  ///< the top-level param it belongs to
  };
  std::vector<item> pending;
  const std::string base = step.pointer + "/params";
  for (const auto& [name, value] : step.params.items()) {
    const std::string pointer = pointer_append(base, name);
    if (auto c = first_control(name)) report(name, pointer, *c, "a parameter name");
    pending.push_back({&value, pointer, name});
  }
  // A string child is checked in place: its pointer is spelled only when it holds a control character
  // (a 10,000-entry list then costs no allocation per entry).
  const auto visit = [&](const item& parent, const ordered_json& child, const auto& token) {
    if (child.is_string()) {
      if (auto c = first_control(child.get_ref<const std::string&>())) {
        report(parent.top, pointer_append(parent.pointer, token()), *c, "a string");
      }
    } else if (child.is_structured()) {
      pending.push_back({&child, pointer_append(parent.pointer, token()), parent.top});
    }
  };
  while (!pending.empty()) {
    item it = std::move(pending.back());
    pending.pop_back();
    if (it.value->is_string()) {
      if (auto c = first_control(it.value->get_ref<const std::string&>())) report(it.top, it.pointer, *c, "a string");
    } else if (it.value->is_object()) {
      for (const auto& [key, child] : it.value->items()) {
        if (auto c = first_control(key)) report(it.top, pointer_append(it.pointer, key), *c, "a key");
        visit(it, child, [&key = key] { return key; });
      }
    } else if (it.value->is_array()) {
      for (std::size_t i = 0; i < it.value->size(); ++i) {
        visit(it, (*it.value)[i], [i] { return std::to_string(i); });
      }
    }
  }
  return out;
}

}  // namespace smharden::core
