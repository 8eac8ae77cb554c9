// iis.headers.* and iis.hsts.*: a site's custom response headers and HSTS,
// merged as IIS merges them, changed only when they differ, and undone byte
// for byte by their undo records.
#include <catch2/catch.hpp>

#include "iis_fixture.hpp"

using smharden::services::service_error;
using smharden::test::iis_fixture;
using smharden::test::json;
using smharden::test::lab_text;
namespace iis = smharden::services::iis;

namespace {

json sent(const json& headers, const std::string& name) {
  for (const auto& h : headers["headers"]) {
    if (h["name"] == name) return h["value"];
  }
  return nullptr;
}

}  // namespace

TEST_CASE("iis.headers.get merges the server level with the site's location", "[iis][headers]") {
  iis_fixture f(lab_text());
  const json h = f.call("iis.headers.get", {{"site", "smartermail"}});  // names compare as IIS does
  CHECK(h["site"] == "SmarterMail");
  CHECK(h["configured"] == false);
  CHECK(sent(h, "X-Powered-By") == "ASP.NET");  // the lab's server level, as a fresh IIS has it
  CHECK(h["inherited"] == h["headers"]);
  CHECK_THROWS_AS(f.call("iis.headers.get", {{"site", "nowhere"}}), service_error);
}

TEST_CASE("iis.headers.remove drops an inherited header with a <remove> in the site's location", "[iis][headers]") {
  const std::string original = lab_text();
  iis_fixture f(original);
  const auto undo = f.call_journaled("iis.headers.remove", {{"site", "SmarterMail"}, {"name", "x-powered-by"}});
  const json h = f.call("iis.headers.get", {{"site", "SmarterMail"}});
  CHECK(sent(h, "X-Powered-By").is_null());
  CHECK(h["configured"] == true);
  CHECK(sent(f.call("iis.headers.get", {{"site", "Default Web Site"}}), "X-Powered-By") == "ASP.NET");
  f.svc->commit_step();
  const std::string written = f.on_disk();
  CHECK(written.find("<location path=\"SmarterMail\">") != std::string::npos);
  CHECK(written.find("<remove name=\"x-powered-by\" />") != std::string::npos);
  // Removing it again changes nothing.
  f.call("iis.headers.remove", {{"site", "SmarterMail"}, {"name", "X-Powered-By"}});
  f.svc->commit_step();
  CHECK(f.on_disk() == written);
  // The undo record puts the file back byte for byte (the location it added goes too).
  f.replay(undo);
  f.svc->commit_step();
  CHECK(f.on_disk() == original);
}

TEST_CASE("iis.headers.set adds, replaces an inherited value, and is idempotent", "[iis][headers]") {
  const std::string original = lab_text();
  iis_fixture f(original);
  std::vector<smharden::services::undo_record> journal;
  journal.push_back(f.call_journaled(
      "iis.headers.set",
      {{"site", "SmarterMail"}, {"name", "Strict-Transport-Security"}, {"value", "max-age=31536000"}}));
  journal.push_back(
      f.call_journaled("iis.headers.set", {{"site", "SmarterMail"}, {"name", "X-Powered-By"}, {"value", "nothing"}}));
  journal.push_back(
      f.call_journaled("iis.headers.set", {{"site", "SmarterMail"}, {"name", "X-Frame-Options"}, {"value", "DENY"}}));
  journal.push_back(f.call_journaled("iis.headers.set",
                                     {{"site", "SmarterMail"}, {"name", "X-Frame-Options"}, {"value", "SAMEORIGIN"}}));
  const json h = f.call("iis.headers.get", {{"site", "SmarterMail"}});
  CHECK(sent(h, "Strict-Transport-Security") == "max-age=31536000");
  CHECK(sent(h, "X-Powered-By") == "nothing");
  CHECK(sent(h, "X-Frame-Options") == "SAMEORIGIN");
  CHECK(h["headers"].size() == 3);
  f.svc->commit_step();
  const std::string written = f.on_disk();
  // One <add> per header: the replaced X-Frame-Options value left no second element.
  CHECK(written.find("name=\"X-Frame-Options\" value=\"DENY\"") == std::string::npos);
  f.call("iis.headers.set", {{"site", "SmarterMail"}, {"name", "X-Frame-Options"}, {"value", "SAMEORIGIN"}});
  f.svc->commit_step();
  CHECK(f.on_disk() == written);

  for (auto it = journal.rbegin(); it != journal.rend(); ++it) f.replay(*it);
  f.svc->commit_step();
  CHECK(f.on_disk() == original);
  CHECK_THROWS_AS(f.call("iis.headers.set", {{"site", "SmarterMail"}, {"name", "Bad Name"}, {"value", "x"}}),
                  service_error);
  CHECK_THROWS_AS(f.call("iis.headers.restore", {{"site", "SmarterMail"}, {"xml", "<ipSecurity />"}}), service_error);
}

TEST_CASE("iis.hsts.set writes only differing attributes of the site's <hsts>, its undo restores the file",
          "[iis][hsts]") {
  const std::string original = lab_text();
  iis_fixture f(original);
  const json before = f.call("iis.hsts.get", {{"site", "SmarterMail"}});
  CHECK(before["supported"] == true);  // a lab models IIS 10.0 1709 and later
  CHECK(before["configured"] == false);
  CHECK(before["enabled"] == false);
  CHECK(before["max_age"] == 0);
  const auto undo = f.call_journaled(
      "iis.hsts.set",
      {{"site", "SmarterMail"}, {"enabled", true}, {"max_age", 31536000}, {"include_subdomains", true}});
  const json after = f.call("iis.hsts.get", {{"site", "SmarterMail"}});
  CHECK(after["enabled"] == true);
  CHECK(after["max_age"] == 31536000);
  CHECK(after["include_subdomains"] == true);
  CHECK(after["preload"] == false);
  f.svc->commit_step();
  const std::string written = f.on_disk();
  CHECK(written.find(R"(<hsts enabled="true" max-age="31536000" includeSubDomains="true" />)") != std::string::npos);
  f.call("iis.hsts.set", {{"site", "SmarterMail"}, {"enabled", true}, {"preload", false}});  // matches: no edit
  f.svc->commit_step();
  CHECK(f.on_disk() == written);
  f.replay(undo);
  f.svc->commit_step();
  CHECK(f.on_disk() == original);
  CHECK_THROWS_AS(f.call("iis.hsts.set", {{"site", "SmarterMail"}, {"max_age", -1}}), service_error);
}

TEST_CASE("iis.hsts: the schema file beside the config decides, an offline copy without one cannot tell",
          "[iis][hsts]") {
  iis_fixture offline(lab_text(), smharden::services::target_kind::offline);
  CHECK(offline.call("iis.hsts.get", {{"site", "SmarterMail"}})["supported"].is_null());
  try {
    offline.call("iis.hsts.set", {{"site", "SmarterMail"}, {"enabled", true}});
    FAIL("an offline copy that cannot tell must not get <hsts>");
  } catch (const service_error& e) {
    CHECK(e.code() == "unavailable");
    CHECK_THAT(e.what(), Catch::Contains("Strict-Transport-Security header with iis.headers.set"));
  }

  iis_fixture old_iis(lab_text());
  old_iis.dir.write("iis/schema/IIS_schema.xml", R"(<configSchema><sectionSchema name="system.applicationHost/sites">
    <element name="site"><attribute name="name" type="string" /></element></sectionSchema></configSchema>)");
  CHECK(old_iis.call("iis.hsts.get", {{"site", "SmarterMail"}})["supported"] == false);
  CHECK_THROWS_AS(old_iis.call("iis.hsts.set", {{"site", "SmarterMail"}, {"enabled", true}}), service_error);

  iis_fixture new_iis(lab_text(), smharden::services::target_kind::offline);
  new_iis.dir.write("iis/schema/IIS_schema.xml", R"(<configSchema><element name="hsts">
    <attribute name="enabled" type="bool" defaultValue="false" /></element></configSchema>)");
  CHECK(new_iis.call("iis.hsts.get", {{"site", "SmarterMail"}})["supported"] == true);
}
