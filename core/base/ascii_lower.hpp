// Lower case for names compared case-insensitively (secret-looking JSON keys, IIS paths):
// ASCII letters only, whatever the locale.
#pragma once

#include <string>
#include <string_view>

namespace smharden::util {

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace smharden::util
