#include "services/iis/preserving_xml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>

namespace smharden::services::iis {
namespace {

// parse_full keeps comments, PIs, the declaration and the doctype; ws_pcdata
// keeps indentation as text nodes; no parse_eol so CR LF survives in values.
constexpr unsigned parse_flags = (pugi::parse_full | pugi::parse_ws_pcdata) & ~pugi::parse_eol;

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

std::uint64_t next_generation() {
  static std::atomic<std::uint64_t> last{0};
  return ++last;
}

// The offset of the first character reference to U+0000 ("&#0;", "&#x00;"), or npos. pugixml would
// decode it into a NUL that ends the value, and the bytes after it would be lost when written.
size_t find_nul_reference(std::string_view text) {
  for (size_t at = text.find("&#"); at != std::string_view::npos; at = text.find("&#", at + 2)) {
    size_t i = at + 2;
    const bool hex = i < text.size() && (text[i] == 'x' || text[i] == 'X');
    if (hex) ++i;
    const size_t digits = i;
    while (i < text.size() && text[i] == '0') ++i;
    if (i > digits && i < text.size() && text[i] == ';') return at;
  }
  return std::string_view::npos;
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
  doc_.reset();
  text_ = std::move(text);
  pinned_.clear();
  children_pinned_.clear();
  marks_.clear();
  fresh_.clear();
  modified_ = false;
  edits_ = 0;
  generation_ = next_generation();
  loaded_generation_ = generation_;
  // XML forbids U+0000, and pugixml would stop at one and take the rest of the bytes for unparsed.
  if (const size_t nul = text_.find('\0'); nul != std::string::npos) {
    const auto [line, column] = line_column(text_, nul);
    throw xml_syntax_error(line, column, "NUL byte (XML does not allow U+0000)");
  }
  if (const size_t ref = find_nul_reference(text_); ref != std::string::npos) {
    const auto [line, column] = line_column(text_, ref);
    throw xml_syntax_error(line, column, "character reference to U+0000 (XML does not allow it)");
  }
  // In place: names and values point into parse_buffer_, at the same offsets as in text_ (a BOM is skipped, not
  // moved). One extra byte so the buffer ends in a NUL whatever the text is.
  parse_buffer_ = std::make_unique_for_overwrite<char[]>(text_.size() + 1);
  std::copy(text_.begin(), text_.end(), parse_buffer_.get());
  parse_buffer_[text_.size()] = '\0';
  const pugi::xml_parse_result result =
      doc_.load_buffer_inplace(parse_buffer_.get(), text_.size(), parse_flags, pugi::encoding_utf8);
  if (!result) {
    // pugixml's offset is into its own buffer, which lacks a UTF-8 BOM.
    const size_t bom = text_.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    const auto [line, column] = line_column(text_, static_cast<size_t>(result.offset) + bom);
    throw xml_syntax_error(line, column, result.description());
  }
  if (!doc_.document_element()) throw xml_syntax_error(1, 1, "no root element");
  check_declarations();
  check_depth();
  newline_ = text_.find("\r\n") != std::string::npos ? "\r\n" : "\n";
  const pugi::xml_node first = root().find_child([](pugi::xml_node c) { return c.type() == pugi::node_element; });
  if (first) {
    const std::string outer = indent_of(root());
    const std::string inner = indent_of(first);
    if (inner.size() > outer.size() && inner.starts_with(outer)) indent_unit_ = inner.substr(outer.size());
  }
}

void preserving_xml::check_declarations() const {
  // pugixml reads "<?xml" attributes like a start tag's and then accepts a "/>" or a '<' inside
  // them, so bytes of the document can end up both in the declaration and in the element after it.
  // Positions would be out of step with the bytes: such a declaration is refused.
  for (pugi::xml_node n = doc_.first_child(); n; n = n.next_sibling()) {
    if (n.type() != pugi::node_declaration) continue;
    const size_t begin = text_.rfind('<', offset_of(n.name()));
    const size_t end = begin == std::string::npos ? std::string::npos : text_.find("?>", begin);
    const size_t stray = end == std::string::npos ? end : text_.find_first_of("<>", begin + 1);
    if (end == std::string::npos || stray < end) {
      const auto [line, column] = line_column(text_, stray == std::string::npos ? begin : stray);
      throw xml_syntax_error(line, column, "malformed XML declaration: expected <?xml version=\"1.0\" ... ?>");
    }
  }
}

void preserving_xml::check_depth() const {
  // The walks over the tree (serializing, indentation, XPath) recurse per level; applicationHost.config
  // nests about ten deep, so a document far deeper is refused before any of them runs.
  size_t depth = 1;  // of n: a child of the document is at depth 1
  pugi::xml_node n = doc_.first_child();
  while (n) {
    if (n.first_child()) {
      n = n.first_child();
      if (++depth > max_depth) {
        const auto [line, column] = line_column(text_, offset_of(n.parent().name()));
        throw xml_syntax_error(line, column, fmt::format("elements nested deeper than {} levels", max_depth));
      }
      continue;
    }
    while (n && !n.next_sibling()) {
      n = n.parent();
      --depth;
    }
    if (n) n = n.next_sibling();
  }
}

void preserving_xml::mark_fresh(pugi::xml_node node) {
  fresh_.insert(node.internal_object());
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) mark_fresh(c);
}

void preserving_xml::mark_dirty(pugi::xml_node node, bool attrs) {
  modified_ = true;
  ++edits_;
  generation_ = next_generation();
  if (attrs) marks_[node.internal_object()].attrs_dirty = true;
  for (pugi::xml_node n = node; n; n = n.parent()) {
    edit_marks& m = marks_[n.internal_object()];
    m.subtree_dirty = true;
    m.changed_at = generation_;
  }
}

std::uint64_t preserving_xml::generation_of(pugi::xml_node subtree) const {
  if (is_fresh(subtree)) return generation_;  // created by an edit: no record of its own past
  const auto it = marks_.find(subtree.internal_object());
  return it != marks_.end() ? it->second.changed_at : loaded_generation_;
}

void preserving_xml::forget_subtree(pugi::xml_node node) {
  pinned_.erase(node.internal_object());
  children_pinned_.erase(node.internal_object());
  marks_.erase(node.internal_object());
  fresh_.erase(node.internal_object());
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) forget_subtree(c);
}

void preserving_xml::set_attribute(pugi::xml_node element, const char* name, std::string_view value) {
  pugi::xml_attribute a = element.attribute(name);
  if (a && value == a.value()) return;
  if (!a) a = element.append_attribute(name);
  a.set_value(std::string(value).c_str());
  mark_dirty(element, true);
}

void preserving_xml::remove_attribute(pugi::xml_node element, const char* name) {
  if (!element.attribute(name)) return;
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
  pin_children(parent);
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
    mark_fresh(ws);
    made = make_after(ws);
  } else if (parent.first_child()) {
    const pugi::xml_node first = parent.first_child();
    pugi::xml_node ws = parent.insert_child_before(pugi::node_pcdata, first);
    ws.set_value((newline_ + indent_of(parent) + indent_unit_).c_str());
    mark_fresh(ws);
    made = make_before(first);
  } else {
    const std::string outer = indent_of(parent);
    pugi::xml_node before = parent.append_child(pugi::node_pcdata);
    before.set_value((newline_ + outer + indent_unit_).c_str());
    mark_fresh(before);
    made = source ? parent.append_copy(source) : parent.append_child(type);
    if (!source && name != nullptr) made.set_name(name);
    pugi::xml_node after = parent.append_child(pugi::node_pcdata);
    after.set_value((newline_ + outer).c_str());
    mark_fresh(after);
  }
  mark_fresh(made);
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
  pugi::xml_node parent = element.parent();
  pin_children(parent);
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

void preserving_xml::emit_start_tag_open(pugi::xml_node element, const node_meta& m, bool attrs_dirty,
                                         std::string& out) const {
  if (!attrs_dirty) {
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
  std::optional<node_meta> prev_meta;
  for (pugi::xml_node c = node.first_child(); c;) {
    // Untouched siblings that were neighbours in the original are one run of its bytes (a dirty
    // <sites> has 10,000 children, one of them edited).
    pugi::xml_node last = c;
    if (is_untouched(c)) {
      for (pugi::xml_node n = c.next_sibling(); n && is_untouched(n) && original_next(last) == n;
           n = n.next_sibling()) {
        last = n;
      }
    }
    std::optional<node_meta> cm = meta_of(c);
    if (cm) {
      if (!prev && c.internal_object() == m.orig_first) {
        out.append(text_, m.content_begin, cm->begin - m.content_begin);
      } else if (prev_meta && prev_meta->orig_next == c.internal_object()) {
        out.append(text_, prev_meta->end, cm->begin - prev_meta->end);
      }
    }
    if (last == c) {
      emit(c, cm, out);
    } else {
      const size_t run_begin = cm->begin;
      cm = meta_of(last);
      out.append(text_, run_begin, cm->end - run_begin);
    }
    prev = last;
    prev_meta = std::move(cm);
    c = last.next_sibling();
  }
  if (prev && prev_meta && prev.internal_object() == m.orig_last) {
    out.append(text_, prev_meta->end, m.content_end - prev_meta->end);
  }
}

void preserving_xml::emit(pugi::xml_node node, const std::optional<node_meta>& m, std::string& out) const {
  if (!m) {
    emit_fresh(node, out);
    return;
  }
  const auto it = marks_.find(node.internal_object());
  const edit_marks marks = it == marks_.end() ? edit_marks{} : it->second;
  if (!marks.subtree_dirty) {
    out.append(text_, m->begin, m->end - m->begin);
    return;
  }
  const bool has_children = static_cast<bool>(node.first_child());
  if (!has_children) {
    // An element whose children an edit all removed keeps its start and end tags, without the content.
    const bool emptied = m->orig_first != nullptr;
    if (!marks.attrs_dirty && !emptied) {
      out.append(text_, m->begin, m->end - m->begin);
      return;
    }
    emit_start_tag_open(node, *m, marks.attrs_dirty, out);
    if (m->self_closing) {
      out += " />";
    } else {
      out += '>';
      out.append(text_, m->content_end, m->end - m->content_end);
    }
    return;
  }
  emit_start_tag_open(node, *m, marks.attrs_dirty, out);
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
  emit_children(doc_, *meta_of(doc_), out);
  return out;
}

}  // namespace smharden::services::iis
