#include "services/iis/xml_byte_scan.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace smharden::services::iis {
namespace {

size_t find_or_fail(std::string_view text, std::string_view what, size_t from) {
  const size_t at = text.find(what, from);
  if (at == std::string_view::npos) xml_scan_failure(from);
  return at + what.size();
}

bool is_name_end(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>'; }

}  // namespace

void xml_scan_failure(size_t offset) {
  throw std::logic_error(fmt::format("XML scanner out of step with the parser at byte {}", offset));
}

namespace {

// The '>' that ends the <!DOCTYPE ...> (or other <!...>) starting at `pos`: brackets and quotes skipped.
size_t doctype_end(std::string_view text, size_t pos) {
  size_t i = pos + 2;
  int brackets = 0;
  char quote = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[') {
      ++brackets;
    } else if (c == ']') {
      --brackets;
    } else if (c == '>' && brackets <= 0) {
      return i;
    }
  }
  xml_scan_failure(pos);
}

// The '>' that ends the start tag opened at `pos`, searching from `from`; quoted values skipped.
size_t start_tag_end(std::string_view text, size_t pos, size_t from) {
  char quote = 0;
  for (size_t i = from; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i;
    }
  }
  xml_scan_failure(pos);
}

}  // namespace

std::vector<xml_token> scan_xml_tokens(std::string_view text) {
  std::vector<xml_token> tokens;
  std::vector<size_t> open;
  size_t pos = 0;
  const size_t n = text.size();
  while (pos < n) {
    if (text[pos] != '<') {
      size_t next = text.find('<', pos);
      if (next == std::string_view::npos) next = n;
      if (!open.empty()) tokens.push_back({xml_token_kind::text, pos, next, 0, 0, false, {}});
      pos = next;
      continue;
    }
    const std::string_view rest = text.substr(pos);
    if (rest.starts_with("<!--")) {
      const size_t end = find_or_fail(text, "-->", pos + 4);
      tokens.push_back({xml_token_kind::comment, pos, end, 0, 0, false, {}});
      pos = end;
    } else if (rest.starts_with("<![CDATA[")) {
      const size_t end = find_or_fail(text, "]]>", pos + 9);
      tokens.push_back({xml_token_kind::cdata, pos, end, 0, 0, false, {}});
      pos = end;
    } else if (rest.starts_with("<!")) {
      const size_t i = doctype_end(text, pos);
      tokens.push_back({xml_token_kind::doctype, pos, i + 1, 0, 0, false, {}});
      pos = i + 1;
    } else if (rest.starts_with("<?")) {
      const size_t end = find_or_fail(text, "?>", pos + 2);
      tokens.push_back({xml_token_kind::pi, pos, end, 0, 0, false, {}});
      pos = end;
    } else if (rest.starts_with("</")) {
      const size_t end = find_or_fail(text, ">", pos + 2);
      if (open.empty()) xml_scan_failure(pos);
      xml_token& t = tokens[open.back()];
      open.pop_back();
      t.content_end = pos;
      t.end = end;
      pos = end;
    } else {
      size_t i = pos + 1;
      while (i < n && !is_name_end(text[i])) ++i;
      xml_token t{xml_token_kind::element, pos, 0, 0, 0, false, text.substr(pos + 1, i - pos - 1)};
      i = start_tag_end(text, pos, i);
      t.content_begin = i + 1;
      t.self_closing = text[i - 1] == '/';
      if (t.self_closing) {
        t.end = i + 1;
        t.content_end = i + 1;
        tokens.push_back(t);
      } else {
        open.push_back(tokens.size());
        tokens.push_back(t);
      }
      pos = i + 1;
    }
  }
  if (!open.empty()) xml_scan_failure(n);
  return tokens;
}

bool kind_matches(xml_token_kind kind, pugi::xml_node_type type) {
  switch (kind) {
    case xml_token_kind::element:
      return type == pugi::node_element;
    case xml_token_kind::text:
      return type == pugi::node_pcdata;
    case xml_token_kind::comment:
      return type == pugi::node_comment;
    case xml_token_kind::cdata:
      return type == pugi::node_cdata;
    case xml_token_kind::pi:
      return type == pugi::node_pi || type == pugi::node_declaration;
    case xml_token_kind::doctype:
      return type == pugi::node_doctype;
  }
  return false;
}

}  // namespace smharden::services::iis
