#include "base/text_escape.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace smharden::util {
namespace {

/// Length of the valid UTF-8 sequence at text[i] and its code point, or 0 when invalid
/// (overlong forms, surrogates, beyond U+10FFFF and truncated sequences are invalid).
std::size_t decode(std::string_view text, std::size_t i, std::uint32_t& cp) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b = byte(i);
  std::size_t n = 0;
  if (b < 0x80) {
    cp = b;
    return 1;
  }
  if (b >= 0xC2 && b <= 0xDF) {
    n = 2;
    cp = b & 0x1Fu;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 3;
    cp = b & 0x0Fu;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4;
    cp = b & 0x07u;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0u) != 0x80u) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  const bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
  if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

bool needs_escape(std::uint32_t cp, escape_for where) {
  if (cp == '\n') return where == escape_for::line;
  if (cp == '\t' || cp == '\r') return where != escape_for::xml;
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF;
}

}  // namespace

std::string escape_control(std::string_view text, escape_for where) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t cp = 0;
    const std::size_t n = decode(text, i, cp);
    if (n == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[i]));
      ++i;
      continue;
    }
    if (!needs_escape(cp, where)) {
      out.append(text.substr(i, n));
    } else if (cp < 0x80) {
      out += fmt::format("\\x{:02x}", cp);
    } else {
      out += fmt::format("\\u{:04x}", cp);
    }
    i += n;
  }
  return out;
}

}  // namespace smharden::util
