#include "report/html_escape.hpp"

#include "base/text_escape.hpp"

namespace smharden::core {

std::string html_escape(std::string_view raw) {
  const std::string in = util::escape_control(raw, util::escape_for::xml);
  std::string out;
  out.reserve(in.size() + in.size() / 8);
  for (char c : in) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace smharden::core
