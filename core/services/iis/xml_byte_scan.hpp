// The byte ranges of an XML text's nodes, found by a scan that walks the text
// in step with pugixml's parse (same node kinds, same order), so preserving_xml
// can copy untouched nodes byte for byte.
#pragma once

#include <cstddef>
#include <pugixml.hpp>
#include <string_view>
#include <vector>

namespace smharden::services::iis {

enum class xml_token_kind { element, text, comment, cdata, pi, doctype };

struct xml_token {
  xml_token_kind kind;
  size_t begin = 0;
  size_t end = 0;
  size_t content_begin = 0;
  size_t content_end = 0;
  bool self_closing = false;
  std::string_view name;
};

/// Every node pugixml creates with preserving_xml's parse flags (parse_full | parse_ws_pcdata, no
/// parse_eol), in document order, with its byte range. Throws std::logic_error when the text does
/// not scan (only after pugixml accepted it: a bug, not bad input).
std::vector<xml_token> scan_xml_tokens(std::string_view text);

/// Throws the std::logic_error of a scan out of step with the parser at byte `offset`.
[[noreturn]] void xml_scan_failure(size_t offset);

/// Whether a token of `kind` stands for a pugixml node of `type`.
bool kind_matches(xml_token_kind kind, pugi::xml_node_type type);

}  // namespace smharden::services::iis
