#include "profile/problem_text.hpp"

#include <fmt/format.h>

#include "base/errors.hpp"
#include "base/json_reader.hpp"

namespace smharden::core {

std::string problem_text(const std::string& file, const std::string& pointer, const std::string& expected,
                         const std::string& found, const std::string& fix) {
  return fmt::format("{}: {}: expected {}, found {}. Fix: {}", file, pointer.empty() ? "(root)" : pointer, expected,
                     found, fix);
}

void throw_problem(const std::string& file, const std::string& pointer, const std::string& expected,
                   const std::string& found, const std::string& fix) {
  throw profile_error(problem_text(file, pointer, expected, found, fix));
}

std::string pointer_append(const std::string& pointer, const std::string& token) {
  return pointer + "/" + json_pointer_token(token);
}

std::string short_json(const std::string& dumped) {
  constexpr std::size_t limit = 60;
  if (dumped.size() <= limit) return dumped;
  // Cut on a UTF-8 character boundary.
  std::size_t cut = limit - 3;
  while (cut > 0 && (static_cast<unsigned char>(dumped[cut]) & 0xC0) == 0x80) --cut;
  return dumped.substr(0, cut) + "...";
}

}  // namespace smharden::core
