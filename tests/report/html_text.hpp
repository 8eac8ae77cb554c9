// Reading a rendered HTML page as text in the report tests.
#pragma once

#include <cstddef>
#include <string>

namespace smharden::test {

/// How often `what` occurs in `text`, without overlaps.
inline std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + what.size())) ++n;
  return n;
}

/// The markup from the first `open` up to the next `close` (empty when `open` is absent).
inline std::string element(const std::string& html, const std::string& open, const std::string& close) {
  const auto start = html.find(open);
  if (start == std::string::npos) return {};
  const auto end = html.find(close, start);
  return html.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace smharden::test
