// applicationHost.config nested far deeper than IIS ever writes it is refused at
// load, naming the line, before any recursive walk over the tree runs.
#include <catch2/catch.hpp>

#include <string>

#include "services/iis/preserving_xml.hpp"

using smharden::services::iis::preserving_xml;
using smharden::services::iis::xml_syntax_error;

namespace {

std::string nested(size_t depth) {
  std::string text = "<configuration>\n";
  for (size_t i = 1; i < depth; ++i) text += "<a>";
  for (size_t i = 1; i < depth; ++i) text += "</a>";
  return text + "\n</configuration>\n";
}

}  // namespace

TEST_CASE("a document nested deeper than the limit is a syntax error with its place", "[iis][xml][input]") {
  preserving_xml ok;
  ok.load(nested(preserving_xml::max_depth));
  CHECK(ok.serialize() == nested(preserving_xml::max_depth));

  for (const size_t depth : {preserving_xml::max_depth + 1, size_t{100000}}) {
    INFO(depth);
    preserving_xml doc;
    try {
      doc.load(nested(depth));
      FAIL("expected an xml_syntax_error");
    } catch (const xml_syntax_error& e) {
      CHECK(std::string(e.what()).find("nested deeper than 256") != std::string::npos);
      CHECK(e.line() == 2);
      CHECK(e.column() > 3 * (preserving_xml::max_depth - 2));
    }
  }
}

TEST_CASE("a NUL byte anywhere is a syntax error, not the end of the document", "[iis][xml][input]") {
  // pugixml took "<u/" for the whole document and left the bytes after the NUL unparsed.
  std::string text = "<configuration>\n<u/";
  text += std::string(3, '\0');
  text += ">\n</configuration>\n";
  preserving_xml doc;
  try {
    doc.load(text);
    FAIL("expected an xml_syntax_error");
  } catch (const xml_syntax_error& e) {
    CHECK(std::string(e.what()).find("NUL") != std::string::npos);
    CHECK(e.line() == 2);
    CHECK(e.column() == 4);
  }
}

TEST_CASE("a character reference to U+0000 is a syntax error, not a value cut short", "[iis][xml][input]") {
  // Found by the app_host_config fuzzer: pugixml decoded "&#x0;" into a NUL that ended the text, and
  // an edit elsewhere wrote the element back without the bytes after it.
  for (const std::string ref : {"&#x0;", "&#0;", "&#X000;", "&#00;"}) {
    INFO(ref);
    preserving_xml doc;
    try {
      doc.load("<configuration>\n  <a x=\"1" + ref + "2\" />\n</configuration>\n");
      FAIL("expected an xml_syntax_error");
    } catch (const xml_syntax_error& e) {
      CHECK(std::string(e.what()).find("U+0000") != std::string::npos);
      CHECK(e.line() == 2);
      CHECK(e.column() == 10);
    }
  }
  preserving_xml fine;
  fine.load("<configuration a=\"&#x20;&#10;&#x0A;\" />");  // other references load as before
  CHECK(std::string(fine.root().attribute("a").value()) == " \n\n");
}

TEST_CASE("a CDATA section or comment whose text starts with '<' keeps its opening", "[iis][xml][input]") {
  for (const std::string inner : {"<![CDATA[<![CDATA[x]]>", "<!--<x>-->"}) {
    INFO(inner);
    const std::string text = "<configuration>\n\t<b>" + inner + "</b>\n</configuration>\n";
    preserving_xml doc;
    doc.load(text);
    doc.append_element(doc.root().child("b"), "add");
    const std::string written = doc.serialize();
    CHECK(written.find("<add />" + inner + "</b>") != std::string::npos);
    preserving_xml reread;
    reread.load(written);
    CHECK(std::string(reread.root().child("b").last_child().value()) ==
          std::string(doc.root().child("b").last_child().value()));
  }
}

TEST_CASE("removing an element's only child leaves the element empty", "[iis][xml][input]") {
  // No whitespace after the child: the parent has no children left at all.
  for (const std::string attrs : {"", " a=\"1\""}) {
    const std::string text = "<configuration>\n\t<b" + attrs + ">\n\t\t<c /></b>\n</configuration>\n";
    preserving_xml doc;
    doc.load(text);
    doc.remove_element(doc.root().child("b").child("c"));
    CHECK(doc.serialize() == "<configuration>\n\t<b" + attrs + "></b>\n</configuration>\n");
    doc.set_attribute(doc.root().child("b"), "z", "2");
    CHECK(doc.serialize() == "<configuration>\n\t<b" + attrs + " z=\"2\"></b>\n</configuration>\n");
  }
}

TEST_CASE("an XML declaration holding markup is a syntax error", "[iis][xml][input]") {
  // pugixml took "<?xml /><d?>" for a declaration and an element sharing the same bytes.
  for (const std::string text : {"<?xml /><d?>", "<?xml version=\"1.0\" <a>?>\n<configuration />\n"}) {
    INFO(text);
    preserving_xml doc;
    CHECK_THROWS_AS(doc.load(text), xml_syntax_error);
  }
  preserving_xml doc;
  doc.load("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<configuration />\n");
  CHECK(doc.root().name() == std::string("configuration"));
}
