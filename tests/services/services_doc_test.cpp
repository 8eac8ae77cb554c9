// docs/services.md cannot drift from the service method tables: the committed
// file must be what the generator makes of it.
#include <catch2/catch.hpp>
#include <string>

#include "base/atomic_file.hpp"
#include "services_doc.hpp"

using smharden::services::access;

namespace {

std::string committed_doc() {
  return smharden::util::read_file(std::filesystem::path(SMHARDEN_SOURCE_DIR) / "docs" / "services.md");
}

std::string block_of(const std::string& service) { return "<!-- BEGIN GENERATED: methods of " + service + " -->\n"; }

}  // namespace

TEST_CASE("docs/services.md is what the method tables generate (run scripts/update-services-doc)", "[services][docs]") {
  const std::string doc = committed_doc();
  CHECK(smharden::test::regenerate(doc, smharden::test::lab_catalog()) == doc);
}

TEST_CASE("docs/services.md documents every method of the lab target with its access and undo", "[services][docs]") {
  const std::string doc = committed_doc();
  const auto catalog = smharden::test::lab_catalog();
  for (const char* service : {"host", "windows", "smartermail", "iis", "net"}) {
    INFO(service);
    CHECK(catalog.count(service) == 1);
  }
  size_t methods = 0;
  for (const auto& [service, list] : catalog) {
    for (const auto& m : list) {
      INFO(m.name);
      ++methods;
      const std::string line = "- **`" + m.name + "`** · " + (m.kind == access::mutating ? "mutating" : "read-only") +
                               " — " + m.summary + "\n";
      const size_t at = doc.find(line);
      REQUIRE(at != std::string::npos);
      const size_t undo = doc.find("  - undo: ", at);
      REQUIRE(undo != std::string::npos);
      if (m.kind == access::mutating) CHECK(doc.compare(undo + 10, m.doc.undo.size(), m.doc.undo) == 0);
    }
  }
  CHECK(methods >= 45);
  CHECK(doc.find("`net.http.probe`") != std::string::npos);
  CHECK(doc.find("`guard.management_access.check`") != std::string::npos);
}

TEST_CASE("the generator refuses a doc that lacks a service or names an unknown one", "[services][docs]") {
  const std::string doc = committed_doc();
  const auto catalog = smharden::test::lab_catalog();
  std::string without_net = doc;
  const size_t at = without_net.find(block_of("net"));
  REQUIRE(at != std::string::npos);
  without_net.replace(at, block_of("net").size(), "\n");
  CHECK_THROWS_WITH(smharden::test::regenerate(without_net, catalog),
                    Catch::Contains("no generated block for the net service"));
  std::string unknown = doc + "\n" + block_of("mail") + "<!-- END GENERATED -->\n";
  CHECK_THROWS_WITH(smharden::test::regenerate(unknown, catalog), Catch::Contains("\"mail\", which no service"));
}

TEST_CASE("the generator notices a stale or hand-edited method list", "[services][docs]") {
  const std::string doc = committed_doc();
  const auto catalog = smharden::test::lab_catalog();
  std::string stale = doc;
  const size_t at = stale.find("- **`windows.user.get`**");
  REQUIRE(at != std::string::npos);
  stale.erase(at,
              stale.find("- **`", at + 1) == std::string::npos ? std::string::npos : stale.find("- **`", at + 1) - at);
  CHECK(smharden::test::regenerate(stale, catalog) != stale);
  CHECK(smharden::test::regenerate(stale, catalog) == doc);
}

TEST_CASE("a method without its documentation cannot be rendered", "[services][docs]") {
  smharden::services::method m;
  m.name = "test.kv.set";
  m.kind = access::mutating;
  m.summary = "write a value";
  m.doc = {"`{key, value}`", "`{}`", ""};
  CHECK_THROWS_WITH(smharden::test::render_methods({m}), Catch::Contains("test.kv.set has no undo documentation"));
  m.doc.undo = "`test.kv.set` with the previous value";
  CHECK_NOTHROW(smharden::test::render_methods({m}));
  m.kind = access::read_only;
  CHECK_THROWS_WITH(smharden::test::render_methods({m}), Catch::Contains("documents an undo"));
  m.doc = {"", "`{value}`", ""};
  CHECK_THROWS_WITH(smharden::test::render_methods({m}), Catch::Contains("no params documentation"));
}
