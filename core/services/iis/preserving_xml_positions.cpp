// Where an original node of a preserving_xml sits in the original bytes. pugixml parsed a copy of
// the text in place, so an element's or PI's name, and a text's, comment's, CDATA's or doctype's
// value, points at the same offset in the copy as in the original; a node ends where its next
// sibling starts (inside an element every byte belongs to a node, whitespace included), at its
// parent's end tag when it is the last child, or after the last '>' before the next node at the
// document level. Worked out on demand; nodes whose neighbours an edit moves are pinned first.
#include "services/iis/preserving_xml.hpp"

#include <fmt/format.h>

#include <functional>
#include <stdexcept>

namespace smharden::services::iis {
namespace {

[[noreturn]] void out_of_step(size_t offset) {
  throw std::logic_error(fmt::format("XML node positions out of step with the parser at byte {}", offset));
}

bool is_name_end(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>'; }

}  // namespace

size_t preserving_xml::offset_of(const char* p) const {
  // std::less: a total order even for a pointer outside the buffer (pugixml's static "").
  const char* base = parse_buffer_.get();
  if (std::less<const char*>()(p, base) || !std::less<const char*>()(p, base + text_.size())) {
    out_of_step(text_.size());
  }
  return static_cast<size_t>(p - base);
}

size_t preserving_xml::begin_of(pugi::xml_node node) const {
  if (const auto it = pinned_.find(node.internal_object()); it != pinned_.end()) return it->second.begin;
  switch (node.type()) {
    case pugi::node_pcdata:
      return offset_of(node.value());
    case pugi::node_element:
    case pugi::node_pi:
    case pugi::node_declaration: {
      // "<name" and "<?name": no other '<' between the start and the name.
      const size_t at = text_.rfind('<', offset_of(node.name()));
      if (at == std::string::npos) out_of_step(0);
      return at;
    }
    case pugi::node_comment:
    case pugi::node_cdata:
    case pugi::node_doctype: {
      // "<!--", "<![CDATA[" and "<!DOCTYPE " before the value, which itself may start with '<'.
      const size_t value = offset_of(node.value());
      const size_t at = value == 0 ? std::string::npos : text_.rfind('<', value - 1);
      if (at == std::string::npos) out_of_step(0);
      return at;
    }
    default:
      return 0;  // the document
  }
}

std::pair<size_t, bool> preserving_xml::start_tag_end(pugi::xml_node element) const {
  const size_t begin = begin_of(element);
  size_t i = begin + 1;
  const size_t n = text_.size();
  while (i < n && !is_name_end(text_[i])) ++i;
  char quote = 0;
  for (; i < n; ++i) {
    const char c = text_[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return {i + 1, text_[i - 1] == '/'};
    }
  }
  out_of_step(begin);
}

// Where an original node's bytes stop: at its next sibling inside an element (text between
// elements is a node too), at the parent's end tag for the last child; at the document level,
// whitespace between nodes is not a node, so after the last '>' before the next one.
size_t preserving_xml::following_boundary(pugi::xml_node node) const {
  const pugi::xml_node parent = node.parent();
  const pugi::xml_node next = node.next_sibling();
  if (parent.type() == pugi::node_document) {
    const size_t limit = next ? begin_of(next) : text_.size();
    const size_t gt = limit == 0 ? std::string::npos : text_.rfind('>', limit - 1);
    if (gt == std::string::npos) out_of_step(limit);
    return gt + 1;
  }
  return next ? begin_of(next) : content_end_of(parent);
}

size_t preserving_xml::end_of(pugi::xml_node node) const {
  if (const auto it = pinned_.find(node.internal_object()); it != pinned_.end()) return it->second.end;
  if (node.type() == pugi::node_document) return text_.size();
  if (node.type() == pugi::node_element) {
    const auto [content_begin, self_closing] = start_tag_end(node);
    if (self_closing) return content_begin;
  }
  return following_boundary(node);
}

size_t preserving_xml::content_end_of(pugi::xml_node element) const {
  if (const auto it = pinned_.find(element.internal_object()); it != pinned_.end()) return it->second.content_end;
  if (element.type() == pugi::node_document) return text_.size();
  const auto [content_begin, self_closing] = start_tag_end(element);
  if (self_closing) return content_begin;
  const size_t end = following_boundary(element);
  const size_t at = end == 0 ? std::string::npos : text_.rfind('<', end - 1);
  const std::string_view name = element.name();
  if (at == std::string::npos || text_.compare(at, 2, "</") != 0 || text_.compare(at + 2, name.size(), name) != 0) {
    out_of_step(end);
  }
  return at;
}

std::optional<preserving_xml::node_meta> preserving_xml::meta_of(pugi::xml_node node) const {
  if (is_fresh(node)) return std::nullopt;
  if (const auto it = pinned_.find(node.internal_object()); it != pinned_.end()) return it->second;
  // Not pinned: no edit has moved this node's neighbours or children, so the links are the original ones.
  node_meta m;
  m.orig_next = node.next_sibling().internal_object();
  m.orig_first = node.first_child().internal_object();
  m.orig_last = node.last_child().internal_object();
  if (node.type() == pugi::node_document) {
    m.end = text_.size();
    m.content_end = text_.size();
    return m;
  }
  m.begin = begin_of(node);
  if (node.type() == pugi::node_element) {
    const auto [content_begin, self_closing] = start_tag_end(node);
    m.content_begin = content_begin;
    m.self_closing = self_closing;
    if (self_closing) {
      m.end = content_begin;
      m.content_end = content_begin;
    } else {
      m.content_end = content_end_of(node);
      m.end = following_boundary(node);
    }
  } else {
    m.end = following_boundary(node);
  }
  return m;
}

void preserving_xml::pin_children(pugi::xml_node parent) {
  if (!children_pinned_.insert(parent.internal_object()).second) return;
  auto pin = [this](pugi::xml_node n) {
    if (pinned_.count(n.internal_object()) != 0) return;
    if (const auto m = meta_of(n)) pinned_.emplace(n.internal_object(), *m);
  };
  pin(parent);
  for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) pin(c);
}

bool preserving_xml::is_untouched(pugi::xml_node node) const {
  if (is_fresh(node)) return false;
  const auto it = marks_.find(node.internal_object());
  return it == marks_.end() || !it->second.subtree_dirty;
}

pugi::xml_node preserving_xml::original_next(pugi::xml_node node) const {
  const auto it = pinned_.find(node.internal_object());
  return it == pinned_.end() ? node.next_sibling() : pugi::xml_node();
}

}  // namespace smharden::services::iis
