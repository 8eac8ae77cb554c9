// The applicationHost.config reader and writer (preserving_xml):
// - read, write back unchanged: the bytes are the original's;
// - an edit (the input's last byte picks one) applied, written, re-read: the
//   result is well-formed and holds the edit, and everything else reads back
//   the same.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "fuzz_support.hpp"
#include "services/iis/preserving_xml.hpp"

namespace iis = smharden::services::iis;

namespace {

/// An element chosen by `pick`: one of root's first children or grandchildren, else root.
pugi::xml_node some_element(pugi::xml_node root, unsigned pick) {
  pugi::xml_node found = root;
  unsigned seen = 0;
  for (pugi::xml_node n = root.first_child(); n; n = n.next_sibling()) {
    if (n.type() != pugi::node_element) continue;
    found = n;
    if (seen++ == pick % 4) break;
    if (n.first_child() && pick & 8) {
      for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_element) return c;
      }
    }
  }
  return found;
}

/// The whole document holding `element`, as pugixml writes it without formatting.
std::string tree_text(pugi::xml_node element) {
  struct to_string : pugi::xml_writer {
    std::string out;
    void write(const void* d, size_t n) override { out.append(static_cast<const char*>(d), n); }
  } w;
  element.root().print(w, "", pugi::format_raw);
  return w.out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace fz = smharden::fuzz;
  if (size == 0) return -1;
  const unsigned pick = data[size - 1];
  const std::string text(reinterpret_cast<const char*>(data), size - 1);

  iis::preserving_xml doc;
  try {
    doc.load(text);
  } catch (const iis::xml_syntax_error&) {
    return 0;
  }
  if (doc.serialize() != text) fz::property_failed("an unedited document is not written back byte for byte");
  const pugi::xml_node root = doc.root();
  if (!root) return 0;

  pugi::xml_node target = some_element(root, pick);
  switch (pick % 7) {
    case 0:
      doc.set_attribute(target, "fuzzAttr", "a\"b<c>&d\te\x01");
      break;
    case 1:
      if (target.first_attribute()) {
        doc.set_attribute(target, target.first_attribute().name(), "changed");
      } else {
        doc.set_attribute(target, "name", "new");
      }
      break;
    case 2:
      if (target.first_attribute()) doc.remove_attribute(target, target.first_attribute().name());
      break;
    case 3:
      doc.append_element(target, "add");
      break;
    case 4:
      if (target != root) doc.remove_element(target);
      break;
    case 5: {
      pugi::xml_document other;
      other.load_string("<site name=\"x\" id=\"9\"><application path=\"/\" /></site>");
      doc.append_copy(target, other.first_child());
      break;
    }
    case 6: {
      pugi::xml_node added = doc.append_element(target, "add");
      doc.set_attribute(added, "key", "v");
      doc.append_element(added, "inner");
      break;
    }
  }
  const std::string written = doc.serialize();
  iis::preserving_xml reread;
  try {
    reread.load(written);
  } catch (const iis::xml_syntax_error&) {
    fz::property_failed("an edited document is written as malformed XML");
  }
  // What was written reads back as the edited tree, node for node.
  if (tree_text(reread.root()) != tree_text(doc.root())) {
    std::fprintf(stderr, "written:\n%s\nedited tree:\n%s\nre-read tree:\n%s\n", written.c_str(),
                 tree_text(doc.root()).c_str(), tree_text(reread.root()).c_str());
    fz::property_failed("an edited document reads back different from the tree that was written");
  }
  return 0;
}
