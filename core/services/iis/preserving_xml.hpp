// An XML document that writes back only what was edited. pugixml parses a
// copy of the text in place, so every original node's name or value points at
// its bytes: where a node sits in the original is worked out when needed, from
// those pointers and its siblings (inside an element, text, whitespace
// included, is a node too, so siblings are contiguous). Reading costs nothing
// beyond the parse. serialize() copies untouched nodes byte for byte
// (comments, attribute order, quoting, indentation, line endings, a BOM) and
// regenerates only the elements whose attributes or children changed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <pugixml.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace smharden::services::iis {

/// Malformed XML: where pugixml stopped, 1-based.
class xml_syntax_error : public std::runtime_error {
 public:
  xml_syntax_error(size_t line, size_t column, const std::string& description)
      : std::runtime_error(description), line_(line), column_(column) {}
  size_t line() const noexcept { return line_; }
  size_t column() const noexcept { return column_; }

 private:
  size_t line_;
  size_t column_;
};

class preserving_xml {
 public:
  preserving_xml() = default;
  preserving_xml(const preserving_xml&) = delete;
  preserving_xml& operator=(const preserving_xml&) = delete;

  /// How deep elements may nest; load() refuses a deeper document.
  static constexpr size_t max_depth = 256;

  /// Parses `text` (kept as the original bytes). Throws xml_syntax_error, also for nesting deeper than max_depth.
  void load(std::string text);

  pugi::xml_node root() const { return doc_.document_element(); }
  const std::string& original() const noexcept { return text_; }
  /// Moves the original bytes out; the document is unusable afterwards.
  std::string release_original() noexcept { return std::move(text_); }
  /// True once any edit went through the methods below.
  bool modified() const noexcept { return modified_; }
  /// How many edits went through the methods below (an edit that changes nothing is not counted).
  size_t edit_count() const noexcept { return edits_; }
  /// A number no other state of any document has: new at every load and every edit. What a cache
  /// of facts read from the tree is keyed on.
  std::uint64_t generation() const noexcept { return generation_; }
  /// Like generation(), for the facts under one element: new at every load and at every edit of
  /// `subtree` or anything inside it; edits elsewhere leave it as it is.
  std::uint64_t generation_of(pugi::xml_node subtree) const;
  /// The original bytes with only the edited elements regenerated.
  std::string serialize() const;

  // Every edit of the tree must go through these so serialize() knows what changed.
  void set_attribute(pugi::xml_node element, const char* name, std::string_view value);
  void remove_attribute(pugi::xml_node element, const char* name);
  /// Appends a child element after the parent's last element child, indented like its siblings.
  pugi::xml_node append_element(pugi::xml_node parent, const char* name);
  /// Deep-copies `source` (from another document) as the parent's last element, indented.
  pugi::xml_node append_copy(pugi::xml_node parent, pugi::xml_node source);
  /// Removes an element and the indentation in front of it.
  void remove_element(pugi::xml_node element);

  /// The document's line break ("\r\n" or "\n") and one indentation step.
  const std::string& newline() const noexcept { return newline_; }
  const std::string& indent_unit() const noexcept { return indent_unit_; }

 private:
  // Where a node sits in the original bytes, and its original neighbours.
  struct node_meta {
    size_t begin = 0;          // first byte of the node
    size_t end = 0;            // one past its last byte
    size_t content_begin = 0;  // elements: end of the start tag; document: 0
    size_t content_end = 0;    // elements: start of the end tag; document: size
    bool self_closing = false;
    const void* orig_next = nullptr;
    const void* orig_first = nullptr;
    const void* orig_last = nullptr;
  };
  struct edit_marks {
    bool attrs_dirty = false;
    bool subtree_dirty = false;
    std::uint64_t changed_at = 0;  ///< the generation of the last edit in the subtree
  };

  void check_declarations() const;
  void check_depth() const;
  bool is_fresh(pugi::xml_node node) const { return fresh_.count(node.internal_object()) != 0; }
  /// An original node with nothing edited in it.
  bool is_untouched(pugi::xml_node node) const;
  /// The node's original next sibling when its neighbours were never moved; else an empty node.
  pugi::xml_node original_next(pugi::xml_node node) const;
  size_t offset_of(const char* p) const;
  size_t begin_of(pugi::xml_node node) const;
  size_t end_of(pugi::xml_node node) const;
  size_t content_end_of(pugi::xml_node element) const;
  size_t following_boundary(pugi::xml_node node) const;
  std::pair<size_t, bool> start_tag_end(pugi::xml_node element) const;
  /// nullopt for a node an edit created.
  std::optional<node_meta> meta_of(pugi::xml_node node) const;
  /// Records the original places of `parent` and its children before an edit moves their neighbours.
  void pin_children(pugi::xml_node parent);
  void mark_fresh(pugi::xml_node node);
  void mark_dirty(pugi::xml_node node, bool attrs);
  void forget_subtree(pugi::xml_node node);
  std::string indent_of(pugi::xml_node element) const;
  pugi::xml_node insert_indented(pugi::xml_node parent, pugi::xml_node_type type, const char* name,
                                 pugi::xml_node source);
  void emit(pugi::xml_node node, const std::optional<node_meta>& m, std::string& out) const;
  void emit_children(pugi::xml_node node, const node_meta& m, std::string& out) const;
  void emit_start_tag_open(pugi::xml_node element, const node_meta& m, bool attrs_dirty, std::string& out) const;

  std::string text_;
  std::unique_ptr<char[]> parse_buffer_;  // pugixml's in-place copy of text_ (outlives doc_'s nodes)
  pugi::xml_document doc_;
  std::unordered_map<const void*, node_meta> pinned_;  // original places of nodes whose neighbours an edit moved
  // Parents whose original children are all in pinned_: an edit only adds fresh children or removes
  // some, so pinning once is enough, and n appends to one parent stay linear.
  std::unordered_set<const void*> children_pinned_;
  std::unordered_map<const void*, edit_marks> marks_;
  std::unordered_set<const void*> fresh_;  // nodes created by an edit
  std::string newline_ = "\n";
  std::string indent_unit_ = "    ";
  bool modified_ = false;
  size_t edits_ = 0;
  std::uint64_t generation_ = 0;
  std::uint64_t loaded_generation_ = 0;
};

/// XML attribute-value escaping (&, <, >, ", control characters).
std::string escape_attribute(std::string_view value);

}  // namespace smharden::services::iis
