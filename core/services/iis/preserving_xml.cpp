#include "services/iis/preserving_xml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace smharden::services::iis {
namespace {

// parse_full keeps comments, PIs, the declaration and the doctype; ws_pcdata
// keeps indentation as text nodes; no parse_eol so CR LF survives in values.
constexpr unsigned parse_flags = (pugi::parse_full | pugi::parse_ws_pcdata) & ~pugi::parse_eol;

enum class token_kind { element, text, comment, cdata, pi, doctype };

struct token {
  token_kind kind;
  size_t begin = 0;
  size_t end = 0;
  size_t content_begin = 0;
  size_t content_end = 0;
  bool self_closing = false;
  std::string_view name;
};

[[noreturn]] void scan_failure(size_t offset) {
  throw std::logic_error(fmt::format("XML scanner out of step with the parser at byte {}", offset));
}

size_t find_or_fail(std::string_view text, std::string_view what, size_t from) {
  const size_t at = text.find(what, from);
  if (at == std::string_view::npos) scan_failure(from);
  return at + what.size();
}

bool is_name_end(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>'; }

// Every node pugixml creates with parse_flags, in document order, with its byte range.
std::vector<token> scan(std::string_view text) {
  std::vector<token> tokens;
  std::vector<size_t> open;
  size_t pos = 0;
  const size_t n = text.size();
  while (pos < n) {
    if (text[pos] != '<') {
      size_t next = text.find('<', pos);
      if (next == std::string_view::npos) next = n;
      if (!open.empty()) tokens.push_back({token_kind::text, pos, next, 0, 0, false, {}});
      pos = next;
      continue;
    }
    const std::string_view rest = text.substr(pos);
    if (rest.starts_with("<!--")) {
      const size_t end = find_or_fail(text, "-->", pos + 4);
      tokens.push_back({token_kind::comment, pos, end, 0, 0, false, {}});
      pos = end;
    } else if (rest.starts_with("<![CDATA[")) {
      const size_t end = find_or_fail(text, "]]>", pos + 9);
      tokens.push_back({token_kind::cdata, pos, end, 0, 0, false, {}});
      pos = end;
    } else if (rest.starts_with("<!")) {
      size_t i = pos + 2;
      int brackets = 0;
      char quote = 0;
      for (; i < n; ++i) {
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
          break;
        }
      }
      if (i >= n) scan_failure(pos);
      tokens.push_back({token_kind::doctype, pos, i + 1, 0, 0, false, {}});
      pos = i + 1;
    } else if (rest.starts_with("<?")) {
      const size_t end = find_or_fail(text, "?>", pos + 2);
      tokens.push_back({token_kind::pi, pos, end, 0, 0, false, {}});
      pos = end;
    } else if (rest.starts_with("</")) {
      const size_t end = find_or_fail(text, ">", pos + 2);
      if (open.empty()) scan_failure(pos);
      token& t = tokens[open.back()];
      open.pop_back();
      t.content_end = pos;
      t.end = end;
      pos = end;
    } else {
      size_t i = pos + 1;
      while (i < n && !is_name_end(text[i])) ++i;
      token t{token_kind::element, pos, 0, 0, 0, false, text.substr(pos + 1, i - pos - 1)};
      char quote = 0;
      for (; i < n; ++i) {
        const char c = text[i];
        if (quote != 0) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '>') {
          break;
        }
      }
      if (i >= n) scan_failure(pos);
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
  if (!open.empty()) scan_failure(n);
  return tokens;
}

bool kind_matches(token_kind kind, pugi::xml_node_type type) {
  switch (kind) {
    case token_kind::element:
      return type == pugi::node_element;
    case token_kind::text:
      return type == pugi::node_pcdata;
    case token_kind::comment:
      return type == pugi::node_comment;
    case token_kind::cdata:
      return type == pugi::node_cdata;
    case token_kind::pi:
      return type == pugi::node_pi || type == pugi::node_declaration;
    case token_kind::doctype:
      return type == pugi::node_doctype;
  }
  return false;
}

std::pair<size_t, size_t> line_column(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, offset - line_start + 1};
}

bool is_blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::string escape_text(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string escape_attribute(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
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
      default:
        if (static_cast<unsigned char>(c) < 32) {
          out += fmt::format("&#{};", static_cast<int>(c));
        } else {
          out += c;
        }
    }
  }
  return out;
}

void preserving_xml::load(std::string text) {
  text_ = std::move(text);
  meta_.clear();
  mapped_ = false;
  modified_ = false;
  edits_ = 0;
  const pugi::xml_parse_result result = doc_.load_buffer(text_.data(), text_.size(), parse_flags, pugi::encoding_utf8);
  if (!result) {
    // pugixml's offset is into its own buffer, which lacks a UTF-8 BOM.
    const size_t bom = text_.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    const auto [line, column] = line_column(text_, static_cast<size_t>(result.offset) + bom);
    throw xml_syntax_error(line, column, result.description());
  }
  if (!doc_.document_element()) throw xml_syntax_error(1, 1, "no root element");
  newline_ = text_.find("\r\n") != std::string::npos ? "\r\n" : "\n";
  const pugi::xml_node first = root().find_child([](pugi::xml_node c) { return c.type() == pugi::node_element; });
  if (first) {
    const std::string outer = indent_of(root());
    const std::string inner = indent_of(first);
    if (inner.size() > outer.size() && inner.starts_with(outer)) indent_unit_ = inner.substr(outer.size());
  }
}

void preserving_xml::map_nodes() {
  if (mapped_) return;
  mapped_ = true;
  const std::vector<token> tokens = scan(text_);
  meta_.reserve(tokens.size() + 1);
  size_t next = 0;
  // Depth-first, document order: the same order the scanner produced.
  std::vector<pugi::xml_node> stack;
  for (pugi::xml_node c = doc_.last_child(); c; c = c.previous_sibling()) stack.push_back(c);
  while (!stack.empty()) {
    const pugi::xml_node node = stack.back();
    stack.pop_back();
    if (next >= tokens.size()) scan_failure(text_.size());
    const token& t = tokens[next++];
    if (!kind_matches(t.kind, node.type()) || (t.kind == token_kind::element && t.name != node.name())) {
      scan_failure(t.begin);
    }
    node_meta m;
    m.begin = t.begin;
    m.end = t.end;
    m.content_begin = t.content_begin;
    m.content_end = t.content_end;
    m.self_closing = t.self_closing;
    m.orig_next = node.next_sibling().internal_object();
    m.orig_first = node.first_child().internal_object();
    m.orig_last = node.last_child().internal_object();
    meta_.emplace(node.internal_object(), m);
    for (pugi::xml_node c = node.last_child(); c; c = c.previous_sibling()) stack.push_back(c);
  }
  if (next != tokens.size()) scan_failure(tokens[next].begin);
  node_meta doc_meta;
  doc_meta.end = text_.size();
  doc_meta.content_end = text_.size();
  doc_meta.orig_first = doc_.first_child().internal_object();
  doc_meta.orig_last = doc_.last_child().internal_object();
  meta_.emplace(doc_.internal_object(), doc_meta);
}

const preserving_xml::node_meta* preserving_xml::meta_of(pugi::xml_node node) const {
  const auto it = meta_.find(node.internal_object());
  return it == meta_.end() ? nullptr : &it->second;
}

void preserving_xml::mark_dirty(pugi::xml_node node, bool attrs) {
  modified_ = true;
  ++edits_;
  if (attrs) {
    const auto it = meta_.find(node.internal_object());
    if (it != meta_.end()) it->second.attrs_dirty = true;
  }
  for (pugi::xml_node n = node; n; n = n.parent()) {
    const auto it = meta_.find(n.internal_object());
    if (it != meta_.end()) it->second.subtree_dirty = true;
  }
}

void preserving_xml::forget_subtree(pugi::xml_node node) {
  meta_.erase(node.internal_object());
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) forget_subtree(c);
}

void preserving_xml::set_attribute(pugi::xml_node element, const char* name, std::string_view value) {
  pugi::xml_attribute a = element.attribute(name);
  if (a && value == a.value()) return;
  map_nodes();
  if (!a) a = element.append_attribute(name);
  a.set_value(std::string(value).c_str());
  mark_dirty(element, true);
}

void preserving_xml::remove_attribute(pugi::xml_node element, const char* name) {
  if (!element.attribute(name)) return;
  map_nodes();
  element.remove_attribute(name);
  mark_dirty(element, true);
}

std::string preserving_xml::indent_of(pugi::xml_node element) const {
  const pugi::xml_node prev = element.previous_sibling();
  if (prev && prev.type() == pugi::node_pcdata) {
    const std::string_view ws = prev.value();
    const size_t nl = ws.rfind('\n');
    if (nl != std::string_view::npos && is_blank(ws)) return std::string(ws.substr(nl + 1));
  }
  const pugi::xml_node parent = element.parent();
  if (!parent || parent.type() == pugi::node_document) return "";
  return indent_of(parent) + indent_unit_;
}

pugi::xml_node preserving_xml::insert_indented(pugi::xml_node parent, pugi::xml_node_type type, const char* name,
                                               pugi::xml_node source) {
  map_nodes();
  auto make_after = [&](pugi::xml_node after) {
    pugi::xml_node made = source ? parent.insert_copy_after(source, after) : parent.insert_child_after(type, after);
    if (!source && name != nullptr) made.set_name(name);
    return made;
  };
  auto make_before = [&](pugi::xml_node before) {
    pugi::xml_node made = source ? parent.insert_copy_before(source, before) : parent.insert_child_before(type, before);
    if (!source && name != nullptr) made.set_name(name);
    return made;
  };
  pugi::xml_node last_element;
  for (pugi::xml_node c = parent.last_child(); c; c = c.previous_sibling()) {
    if (c.type() == pugi::node_element) {
      last_element = c;
      break;
    }
  }
  pugi::xml_node made;
  if (last_element) {
    pugi::xml_node ws = parent.insert_child_after(pugi::node_pcdata, last_element);
    ws.set_value((newline_ + indent_of(last_element)).c_str());
    made = make_after(ws);
  } else if (parent.first_child()) {
    const pugi::xml_node first = parent.first_child();
    pugi::xml_node ws = parent.insert_child_before(pugi::node_pcdata, first);
    ws.set_value((newline_ + indent_of(parent) + indent_unit_).c_str());
    made = make_before(first);
  } else {
    const std::string outer = indent_of(parent);
    parent.append_child(pugi::node_pcdata).set_value((newline_ + outer + indent_unit_).c_str());
    made = source ? parent.append_copy(source) : parent.append_child(type);
    if (!source && name != nullptr) made.set_name(name);
    parent.append_child(pugi::node_pcdata).set_value((newline_ + outer).c_str());
  }
  mark_dirty(parent, false);
  return made;
}

pugi::xml_node preserving_xml::append_element(pugi::xml_node parent, const char* name) {
  return insert_indented(parent, pugi::node_element, name, pugi::xml_node());
}

pugi::xml_node preserving_xml::append_copy(pugi::xml_node parent, pugi::xml_node source) {
  return insert_indented(parent, source.type(), nullptr, source);
}

void preserving_xml::remove_element(pugi::xml_node element) {
  map_nodes();
  pugi::xml_node parent = element.parent();
  const pugi::xml_node prev = element.previous_sibling();
  if (prev && prev.type() == pugi::node_pcdata && is_blank(prev.value())) {
    forget_subtree(prev);
    parent.remove_child(prev);
  }
  forget_subtree(element);
  parent.remove_child(element);
  mark_dirty(parent, false);
}

namespace {

// A node that did not exist in the original, written the way IIS writes:
// double quotes, `<name attr="v" />` for empty elements.
void emit_fresh(pugi::xml_node node, std::string& out) {
  switch (node.type()) {
    case pugi::node_element: {
      out += '<';
      out += node.name();
      for (const pugi::xml_attribute a : node.attributes()) {
        out += ' ';
        out += a.name();
        out += "=\"";
        out += escape_attribute(a.value());
        out += '"';
      }
      if (!node.first_child()) {
        out += " />";
        return;
      }
      out += '>';
      for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) emit_fresh(c, out);
      out += "</";
      out += node.name();
      out += '>';
      return;
    }
    case pugi::node_pcdata:
      out += escape_text(node.value());
      return;
    case pugi::node_cdata:
      out += "<![CDATA[";
      out += node.value();
      out += "]]>";
      return;
    case pugi::node_comment:
      out += "<!--";
      out += node.value();
      out += "-->";
      return;
    default:
      return;  // PIs and doctypes are never created by an edit
  }
}

}  // namespace

void preserving_xml::emit_start_tag_open(pugi::xml_node element, const node_meta& m, std::string& out) const {
  if (!m.attrs_dirty) {
    // The original start tag without its closing ">" or "/>" (and blanks before it).
    size_t stop = m.content_begin - 1;  // at '>'
    if (m.self_closing) {
      --stop;  // at '/'
      while (stop > m.begin && (text_[stop - 1] == ' ' || text_[stop - 1] == '\t')) --stop;
    }
    out.append(text_, m.begin, stop - m.begin);
    return;
  }
  out += '<';
  out += element.name();
  for (const pugi::xml_attribute a : element.attributes()) {
    out += ' ';
    out += a.name();
    out += "=\"";
    out += escape_attribute(a.value());
    out += '"';
  }
}

void preserving_xml::emit_children(pugi::xml_node node, const node_meta& m, std::string& out) const {
  pugi::xml_node prev;
  const node_meta* prev_meta = nullptr;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
    const node_meta* cm = meta_of(c);
    if (cm != nullptr) {
      if (!prev && c.internal_object() == m.orig_first) {
        out.append(text_, m.content_begin, cm->begin - m.content_begin);
      } else if (prev_meta != nullptr && prev_meta->orig_next == c.internal_object()) {
        out.append(text_, prev_meta->end, cm->begin - prev_meta->end);
      }
    }
    emit(c, out);
    prev = c;
    prev_meta = cm;
  }
  if (prev && prev_meta != nullptr && prev.internal_object() == m.orig_last) {
    out.append(text_, prev_meta->end, m.content_end - prev_meta->end);
  }
}

void preserving_xml::emit(pugi::xml_node node, std::string& out) const {
  const node_meta* m = meta_of(node);
  if (m == nullptr) {
    emit_fresh(node, out);
    return;
  }
  if (!m->subtree_dirty) {
    out.append(text_, m->begin, m->end - m->begin);
    return;
  }
  const bool has_children = static_cast<bool>(node.first_child());
  if (!has_children) {
    if (!m->attrs_dirty) {
      out.append(text_, m->begin, m->end - m->begin);
      return;
    }
    emit_start_tag_open(node, *m, out);
    if (m->self_closing) {
      out += " />";
    } else {
      out += '>';
      out.append(text_, m->content_end, m->end - m->content_end);
    }
    return;
  }
  emit_start_tag_open(node, *m, out);
  out += '>';
  emit_children(node, *m, out);
  if (m->self_closing) {
    out += "</";
    out += node.name();
    out += '>';
  } else {
    out.append(text_, m->content_end, m->end - m->content_end);
  }
}

std::string preserving_xml::serialize() const {
  if (!modified_) return text_;
  std::string out;
  out.reserve(text_.size() + 4096);
  const node_meta* m = meta_of(doc_);
  emit_children(doc_, *m, out);
  return out;
}

}  // namespace smharden::services::iis
