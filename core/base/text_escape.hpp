// The one escaping of text smharden did not write itself (target data, plugin
// findings, server messages) before it reaches a terminal or an XML report.
// Control characters, invalid UTF-8 (lone surrogates included) and the
// non-characters U+FFFE/U+FFFF become visible escapes ("\x1b", "\u0085",
// "\xff"), so output can neither drive a terminal nor break a parser.
#pragma once

#include <string>
#include <string_view>

namespace smharden::util {

enum class escape_for {
  line,   ///< one line of terminal text: every control character escaped, newlines and tabs too
  lines,  ///< terminal text that may span lines: "\n" kept, other controls escaped
  xml,    ///< XML 1.0 character data: tab, LF and CR kept (markup is escaped separately)
};

std::string escape_control(std::string_view text, escape_for where = escape_for::line);

}  // namespace smharden::util
