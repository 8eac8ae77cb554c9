// Text from plugins and targets is escaped by one function (base/text_escape)
// before it reaches a terminal or the JUnit XML: nothing XML 1.0 forbids and no
// control character survives, invalid UTF-8 and lone surrogates included.
#include <catch2/catch.hpp>
#include <string>

#include "base/text_escape.hpp"
#include "report/report_writers.hpp"
#include "sample_report.hpp"

using smharden::util::escape_control;
using smharden::util::escape_for;

namespace {

// C0 controls, ESC, DEL, a C1 control, U+FFFE, U+FFFF, a lone surrogate (ED A0 80), a stray byte.
const std::string hostile = std::string("a\x00\x01\x1b[2J\x7f", 8) + "\xc2\x85" + "\xef\xbf\xbe" + "\xef\xbf\xbf" +
                            "\xed\xa0\x80" + "\xff" + "\t\r\n" + "z é 😀";

/// True when `text` is UTF-8 and holds only characters XML 1.0 allows.
bool xml_chars_only(const std::string& text) {
  const std::string again = escape_control(text, escape_for::xml);
  return again == text;  // escaping changes nothing: nothing forbidden is left
}

}  // namespace

TEST_CASE("text escape: control characters, invalid UTF-8 and non-characters become visible escapes") {
  const std::string line = escape_control(hostile);
  CHECK(line == "a\\x00\\x01\\x1b[2J\\x7f\\u0085\\ufffe\\uffff\\xed\\xa0\\x80\\xff\\x09\\x0d\\x0az é 😀");
  CHECK(escape_control(hostile, escape_for::lines).find('\n') != std::string::npos);
  const std::string xml = escape_control(hostile, escape_for::xml);
  CHECK(xml == "a\\x00\\x01\\x1b[2J\\x7f\\u0085\\ufffe\\uffff\\xed\\xa0\\x80\\xff\t\r\nz é 😀");
  CHECK(escape_control("plain text, C:\\Program Files") == "plain text, C:\\Program Files");
  CHECK(escape_control("\xe0\x80\x80") == "\\xe0\\x80\\x80");           // overlong
  CHECK(escape_control("\xf4\x90\x80\x80") == "\\xf4\\x90\\x80\\x80");  // beyond U+10FFFF
  CHECK(escape_control("\xe2\x82") == "\\xe2\\x82");                    // truncated
}

TEST_CASE("junit and text reports stay valid with hostile text in every field") {
  auto r = smharden::test::every_status_report();
  r.profile = hostile;
  r.target = hostile;
  for (auto& s : r.steps) {
    s.title = hostile;
    s.reason = hostile;
    for (auto& f : s.findings) f["title"] = hostile;
    for (auto& c : s.changes) c["description"] = hostile;
  }
  r.notices.push_back(hostile);
  const std::string xml = smharden::core::render_junit(r);
  CHECK(xml_chars_only(xml));
  CHECK(xml.find("\\x1b[2J") != std::string::npos);

  const std::string text = smharden::core::render_text(r, false, true);
  std::size_t raw_controls = 0;
  for (char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if ((b < 0x20 && c != '\n') || b == 0x7f) ++raw_controls;
  }
  CHECK(raw_controls == 0);
  CHECK(escape_control(text, escape_for::lines) == text);
}
