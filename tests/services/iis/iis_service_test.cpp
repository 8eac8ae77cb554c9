// The iis service against the lab template and the public IIS 10 sample:
// byte-for-byte preservation, atomic commit with history, malformed input,
// site discovery, and undo records that restore the previous state.
#include <catch2/catch.hpp>
#include <regex>

#include "iis_fixture.hpp"
#include "services/iis/iis_model.hpp"

using smharden::services::service_error;
using smharden::test::iis_fixture;
using smharden::test::json;
using smharden::test::lab_text;
namespace iis = smharden::services::iis;

namespace {
std::string sample_text() { return smharden::test::fixture_text("applicationHost.iis10-sample.config"); }

std::string replace_once(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  REQUIRE(text.find(from, at + 1) == std::string::npos);
  return text.replace(at, from.size(), to);
}

std::string error_code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const service_error& e) {
    return e.code();
  }
  return "none";
}

std::string error_message_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const service_error& e) {
    return e.what();
  }
  return "";
}

// "" when equal, else the first differing offset with some context (readable failures on 68 KB files).
std::string first_diff(const std::string& a, const std::string& b) {
  if (a == b) return "";
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  const size_t from = i < 80 ? 0 : i - 80;
  return "differ at byte " + std::to_string(i) + "\n--- got:\n" + a.substr(from, 240) + "\n--- expected:\n" +
         b.substr(from, 240);
}

size_t history_count(const iis_fixture& f) {
  if (!std::filesystem::exists(f.svc->history_dir())) return 0;
  size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(f.svc->history_dir())) ++n;
  return n;
}

}  // namespace

TEST_CASE("an unedited document serializes to its original bytes", "[iis][preserve]") {
  for (const std::string& text : {lab_text(), sample_text()}) {
    iis::preserving_xml doc;
    doc.load(text);
    CHECK(doc.serialize() == text);
    CHECK(doc.newline() == "\r\n");
    CHECK(doc.indent_unit() == "    ");
  }
}

TEST_CASE("edits beside a BOM, a doctype, comments, CDATA and a PI keep every other byte", "[iis][preserve]") {
  const std::string original =
      "\xEF\xBB\xBF<?xml version=\"1.0\"?>\r\n<!-- head -->\r\n<!DOCTYPE c [<!ENTITY e \"x\">]>\r\n"
      "<c a='1' b = \"2>\" >\r\n  <x/>\r\n  <y  k=\"/\"  />t&amp;<![CDATA[<z>]]><!----><?pi data?>\r\n"
      "  <g\r\n    h=\"1\"\r\n  >\r\n    <k/>\r\n  </g  >\r\n</c >\r\n<!-- tail -->\r\n";
  iis::preserving_xml doc;
  doc.load(original);
  const pugi::xml_node root = doc.root();
  doc.set_attribute(root.child("y"), "k", "v");
  doc.remove_element(root.child("x"));
  doc.append_element(root.child("g"), "n");
  CHECK(doc.serialize() ==
        "\xEF\xBB\xBF<?xml version=\"1.0\"?>\r\n<!-- head -->\r\n<!DOCTYPE c [<!ENTITY e \"x\">]>\r\n"
        "<c a='1' b = \"2>\" >\r\n  <y k=\"v\" />t&amp;<![CDATA[<z>]]><!----><?pi data?>\r\n"
        "  <g\r\n    h=\"1\"\r\n  >\r\n    <k/>\r\n    <n />\r\n  </g  >\r\n</c >\r\n<!-- tail -->\r\n");
}

TEST_CASE("folder matching: case, slashes, %SystemDrive%, trailing backslashes, whole folder names", "[iis][model]") {
  const iis::folder_matcher m({R"(C:\Program Files\SmarterTools\SmarterMail\)", R"(%SYSTEMDRIVE%/Mail)"});
  CHECK(m.contains(R"(C:\Program Files\SmarterTools\SmarterMail)"));
  CHECK(m.contains(R"(c:/program files/smartertools/smartermail/MRS)"));
  CHECK(m.contains(R"(%SystemDrive%\Program Files\SmarterTools\SmarterMail\MRS\)"));
  CHECK(m.contains(R"(%HomeDrive%\Program Files\SmarterTools\SmarterMail\\)"));
  CHECK(m.contains(R"(C:\Mail\wwwroot)"));
  CHECK_FALSE(m.contains(R"(C:\Program Files\SmarterTools\SmarterMailX)"));
  CHECK_FALSE(m.contains(R"(C:\Program Files\SmarterTools)"));
  CHECK_FALSE(m.contains(R"(D:\Program Files\SmarterTools\SmarterMail)"));
  CHECK_FALSE(m.contains(R"(%SystemDrive%)"));
  CHECK_FALSE(m.contains(""));
}

TEST_CASE("lab: finds the SmarterMail site on *:9998: and public webmail, with its own ApplicationPoolIdentity pool",
          "[iis][lab]") {
  iis_fixture f(lab_text());
  const json site = f.call("iis.site.find");
  CHECK(site["name"] == "SmarterMail");
  CHECK(site["app_pool"] == "SmarterMail");
  CHECK(site["bindings"] == json::parse(R"([{"protocol":"http","binding_information":"*:9998:"},
    {"protocol":"http","binding_information":"*:80:mail.example.test"},
    {"protocol":"https","binding_information":"*:443:mail.example.test","ssl_flags":1}])"));
  const json pool = f.call("iis.app_pool.get", {{"name", "SmarterMail"}});
  CHECK(pool["identity_type"] == "ApplicationPoolIdentity");
  CHECK(pool["password"] == "absent");
  CHECK(pool["sites"] == json::array({"SmarterMail"}));
  const json modules = f.call("iis.modules.get");
  CHECK(modules["ip_restriction_installed"] == true);
  CHECK(modules["dynamic_ip_restriction_enabled"] == true);
  CHECK(f.call("iis.sites.list")["sites"].size() == 3);
}

TEST_CASE("identity edit changes only the processModel element, the password is a marker", "[iis][preserve]") {
  const std::string original = lab_text();
  iis_fixture f(original);
  f.call("iis.app_pool.set_identity", {{"name", "SmarterMail"},
                                       {"identity_type", "SpecificUser"},
                                       {"user_name", ".\\smartermail-svc"},
                                       {"password_secret", "service_password"}});
  f.svc->commit_step();
  const std::string expected = replace_once(
      original, R"(<processModel identityType="ApplicationPoolIdentity" idleTimeout="00:00:00" />)",
      R"(<processModel identityType="SpecificUser" idleTimeout="00:00:00" userName=".\smartermail-svc" )"
      R"(password=")" +
          smharden::services::iis::password_marker("service_password", "Corr3ct-Horse!battery") + R"(" />)");
  CHECK(first_diff(f.on_disk(), expected) == "");
  CHECK(f.on_disk().find("Corr3ct-Horse") == std::string::npos);
  const json pool = f.call("iis.app_pool.get", {{"name", "SmarterMail"}});
  CHECK(pool["identity_type"] == "SpecificUser");
  CHECK(pool["password"] == "marker");
}

TEST_CASE("binding replacement keeps every other byte and the sibling indentation", "[iis][preserve]") {
  const std::string original = lab_text();
  iis_fixture f(original);
  f.call("iis.bindings.set",
         {{"site", "SmarterMail"},
          {"bindings", json::parse(R"([{"protocol":"http","binding_information":"127.0.0.1:9998:"}])")}});
  f.svc->commit_step();
  // The public webmail bindings go, the new binding takes the place of the last one removed, indented like it.
  const std::string catch_all = "<binding protocol=\"http\" bindingInformation=\"*:9998:\" />\r\n";
  const std::string http = "<binding protocol=\"http\" bindingInformation=\"*:80:mail.example.test\" />\r\n";
  const std::string https =
      "<binding protocol=\"https\" bindingInformation=\"*:443:mail.example.test\" sslFlags=\"1\" />";
  const std::string indent(20, ' ');
  const std::string expected = replace_once(original, catch_all + indent + http + indent + https,
                                            "<binding protocol=\"http\" bindingInformation=\"127.0.0.1:9998:\" />");
  CHECK(first_diff(f.on_disk(), expected) == "");
}

TEST_CASE("adding an ipSecurity location inserts one indented block and nothing else changes", "[iis][preserve]") {
  const std::string original = lab_text();
  iis_fixture f(original);
  f.call("iis.ip_security.set", {{"site", "SmarterMail"},
                                 {"allow_unlisted", false},
                                 {"entries", json::parse(R"([{"ip_address":"127.0.0.1","allowed":true},
                                      {"ip_address":"10.0.0.0","subnet_mask":"255.0.0.0","allowed":true}])")}});
  f.svc->commit_step();
  const std::string after = f.on_disk();
  const size_t cut = original.find("\r\n\r\n</configuration>");
  REQUIRE(cut != std::string::npos);
  REQUIRE(after.size() > original.size());
  CHECK(after.compare(0, cut, original, 0, cut) == 0);
  CHECK(after.substr(after.size() - (original.size() - cut)) == original.substr(cut));
  const std::string inserted = after.substr(cut, after.size() - original.size());
  CHECK(inserted ==
        "\r\n    <location path=\"SmarterMail\">"
        "\r\n        <system.webServer>"
        "\r\n            <security>"
        "\r\n                <ipSecurity allowUnlisted=\"false\">"
        "\r\n                    <add ipAddress=\"127.0.0.1\" allowed=\"true\" />"
        "\r\n                    <add ipAddress=\"10.0.0.0\" subnetMask=\"255.0.0.0\" allowed=\"true\" />"
        "\r\n                </ipSecurity>"
        "\r\n            </security>"
        "\r\n        </system.webServer>"
        "\r\n    </location>");
  const json ip = f.call("iis.ip_security.get", {{"site", "SmarterMail"}});
  CHECK(ip["allow_unlisted"] == false);
  CHECK(ip["entries"].size() == 2);
  CHECK(ip["entries"][1]["subnet_mask"] == "255.0.0.0");
}

TEST_CASE("sample config: edits in an irregularly indented file keep untouched lines", "[iis][preserve][sample]") {
  const std::string original = sample_text();
  iis_fixture f(original);
  f.call("iis.bindings.remove",
         {{"site", "mysite.tbd"}, {"protocol", "http"}, {"binding_information", "*:80:mysite.tbd"}});
  f.call(
      "iis.dynamic_ip_security.set",
      {{"site", "mysite.tbd"}, {"deny_by_concurrent_requests", {{"enabled", true}, {"max_concurrent_requests", 10}}}});
  f.svc->commit_step();
  const std::string after = f.on_disk();
  // Everything before the sites section and inside the oddly indented <location path=""> is untouched.
  const size_t sites = original.find("<site name=\"mysite.tbd\"");
  CHECK(after.compare(0, sites, original, 0, sites) == 0);
  const size_t modules_at = original.find("<modules>");
  const std::string modules_block = original.substr(modules_at, original.find("</location>", modules_at) - modules_at);
  CHECK(after.find(modules_block) != std::string::npos);
  CHECK(after.find(R"(<binding protocol="http" bindingInformation="*:80:mysite.tbd" />)") == std::string::npos);
  CHECK(after.find(R"(<binding protocol="https" bindingInformation="*:443:mysite.tbd" sslFlags="0" />)") !=
        std::string::npos);
  CHECK(after.find("<denyByConcurrentRequests enabled=\"true\" maxConcurrentRequests=\"10\" />") != std::string::npos);
  // The file is still well-formed and reads back the same state.
  iis_fixture again(after);
  CHECK(again.call("iis.bindings.get", {{"site", "mysite.tbd"}})["bindings"].size() == 1);
  CHECK(again.call("iis.dynamic_ip_security.get",
                   {{"site", "mysite.tbd"}})["deny_by_concurrent_requests"]["max_concurrent_requests"] == 10);
}

TEST_CASE("sample config has no SmarterMail site: a clear not_found", "[iis][sample]") {
  iis_fixture f(sample_text());
  const std::string message = error_message_of([&] { f.call("iis.site.find"); });
  CHECK(error_code_of([&] { f.call("iis.site.find"); }) == "not_found");
  CHECK(message.find("no IIS site") != std::string::npos);
  CHECK(message.find("SmarterTools\\SmarterMail") != std::string::npos);
  CHECK(message.find("\"site\"") != std::string::npos);
  CHECK(f.call("iis.modules.get")["ip_restriction_installed"] == false);
}

TEST_CASE("two sites under the SmarterMail folder: conflict naming both", "[iis]") {
  std::string text = replace_once(lab_text(), R"(physicalPath="C:\inetpub\wwwroot\mysite.tbd")",
                                  R"(physicalPath="c:/program files (x86)/smartertools/smartermail/MRS-old")");
  iis_fixture f(text);
  const std::string message = error_message_of([&] { f.call("iis.site.find"); });
  CHECK(error_code_of([&] { f.call("iis.site.find"); }) == "conflict");
  CHECK(message.find("\"SmarterMail\"") != std::string::npos);
  CHECK(message.find("\"mysite.tbd\"") != std::string::npos);
  CHECK(f.call("iis.site.find", {{"name", "smartermail"}})["name"] == "SmarterMail");
}

TEST_CASE("malformed or truncated config: refused with line:column, file untouched", "[iis][malformed]") {
  const std::string original = lab_text();
  SECTION("truncated") {
    const std::string truncated = original.substr(0, original.size() / 2);
    iis_fixture f(truncated);
    const std::string message = error_message_of([&] { f.call("iis.sites.list"); });
    CHECK(std::regex_search(message, std::regex(R"(applicationHost\.config:\d+:\d+: )")));
    CHECK(message.find("left it untouched") != std::string::npos);
    f.svc->commit_step();
    CHECK(f.on_disk() == truncated);
    CHECK(history_count(f) == 0);
  }
  SECTION("broken tag reports its line") {
    const std::string broken = replace_once(original, "        <sites>\r\n", "        <sites\r\n");
    size_t line = 1;
    for (size_t i = 0; i < broken.find("        <sites\r\n"); ++i) line += broken[i] == '\n' ? 1 : 0;
    iis_fixture f(broken);
    const std::string message = error_message_of([&] { f.call("iis.site.find"); });
    std::smatch m;
    REQUIRE(std::regex_search(message, m, std::regex(R"(applicationHost\.config:(\d+):(\d+):)")));
    // pugixml stops inside the broken start tag, on that line or the next.
    const size_t reported = std::stoul(m[1]);
    CHECK((reported == line || reported == line + 1));
    CHECK(error_code_of([&] { f.call("iis.app_pool.set_identity", {{"name", "x"}}); }) == "failed");
    CHECK(f.on_disk() == broken);
  }
  SECTION("wrong root element") {
    iis_fixture f("<?xml version=\"1.0\"?>\n<settings />\n");
    CHECK(error_message_of([&] { f.call("iis.sites.list"); }).find("expected <configuration>") != std::string::npos);
  }
}

TEST_CASE("commit: one history copy and one before_file_write per run, atomic replace", "[iis][commit]") {
  const std::string original = lab_text();
  iis_fixture f(original);
  f.svc->commit_step();  // nothing loaded, nothing written
  CHECK(f.announced.size() == 0);
  f.call("iis.bindings.add",
         {{"site", "SmarterMail"}, {"protocol", "https"}, {"binding_information", "*:443:mail.example.com"}});
  f.svc->commit_step();
  f.call("iis.bindings.remove", {{"site", "SmarterMail"}, {"protocol", "http"}, {"binding_information", "*:9998:"}});
  f.svc->commit_step();
  REQUIRE(history_count(f) == 1);
  const auto copy = std::filesystem::directory_iterator(f.svc->history_dir())->path();
  // The config once, then its history copy: both announced before they are written, so the journal has them.
  CHECK(f.announced == std::vector<std::filesystem::path>{f.file, copy});
  CHECK(smharden::util::read_file(copy) == original);
  CHECK(copy.filename().string().rfind("applicationHost.", 0) == 0);
  CHECK(copy.extension() == ".config");
  // No temp files left beside the config.
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(f.file.parent_path())) files += e.is_regular_file() ? 1 : 0;
  CHECK(files == 1);
  CHECK(f.call("iis.bindings.get", {{"site", "SmarterMail"}})["bindings"] ==
        json::parse(R"([{"protocol":"http","binding_information":"*:80:mail.example.test"},
          {"protocol":"https","binding_information":"*:443:mail.example.test","ssl_flags":1},
          {"protocol":"https","binding_information":"*:443:mail.example.com"}])"));
}

TEST_CASE("history keeps the newest ten copies", "[iis][commit]") {
  iis_fixture f(lab_text());
  std::filesystem::create_directories(f.svc->history_dir());
  for (int i = 0; i < 12; ++i) {
    smharden::util::write_file_atomic(f.svc->history_dir() / ("applicationHost.2020010" + std::to_string(i % 10) +
                                                              "T00000" + std::to_string(i / 10) + "000Z.config"),
                                      "old");
  }
  f.call("iis.bindings.add",
         {{"site", "SmarterMail"}, {"protocol", "http"}, {"binding_information", "127.0.0.1:9998:"}});
  f.svc->commit_step();
  CHECK(history_count(f) == 10);
  // The three oldest copies were announced (journaled) before they were pruned.
  REQUIRE(f.announced.size() == 5);
  for (size_t i = 2; i < 5; ++i) {
    INFO(f.announced[i]);
    CHECK(f.announced[i].filename().string().rfind("applicationHost.2020010", 0) == 0);
    CHECK_FALSE(std::filesystem::exists(f.announced[i]));
  }
  bool newest_kept = false;
  for (const auto& e : std::filesystem::directory_iterator(f.svc->history_dir())) {
    newest_kept = newest_kept || smharden::util::read_file(e.path()) == lab_text();
  }
  CHECK(newest_kept);
}

TEST_CASE("a file changed by another tool since it was read is not overwritten", "[iis][commit]") {
  iis_fixture f(lab_text());
  f.call("iis.bindings.add",
         {{"site", "SmarterMail"}, {"protocol", "http"}, {"binding_information", "127.0.0.1:9998:"}});
  const std::string other = lab_text() + "<!-- written by IIS Manager -->";
  smharden::util::write_file_atomic(f.file, other);
  CHECK(error_code_of([&] { f.svc->commit_step(); }) == "conflict");
  CHECK(f.on_disk() == other);
}

TEST_CASE("discard_step drops a failed step's edits", "[iis][commit]") {
  const std::string original = lab_text();
  iis_fixture f(original);
  f.call("iis.bindings.add",
         {{"site", "SmarterMail"}, {"protocol", "http"}, {"binding_information", "127.0.0.1:9998:"}});
  f.svc->discard_step();
  CHECK(f.call("iis.bindings.get", {{"site", "SmarterMail"}})["bindings"].size() == 3);  // the lab's three
  f.svc->commit_step();
  CHECK(f.on_disk() == original);
  CHECK(f.announced.size() == 0);
}

namespace {
// The edits of a three-step apply, one element each: identity, bindings, a new <location> for ipSecurity.
const std::vector<std::pair<std::string, json>> three_steps = {
    {"iis.app_pool.set_identity",
     {{"name", "SmarterMail"},
      {"identity_type", "SpecificUser"},
      {"user_name", ".\\smartermail-svc"},
      {"password_secret", "service_password"}}},
    {"iis.bindings.set",
     {{"site", "SmarterMail"},
      {"bindings", json::parse(R"([{"protocol":"http","binding_information":"127.0.0.1:9998:"}])")}}},
    {"iis.ip_security.set",
     {{"site", "SmarterMail"},
      {"allow_unlisted", false},
      {"entries", json::parse(R"([{"ip_address":"127.0.0.1","allowed":true}])")}}},
};

}  // namespace

TEST_CASE("a commit per step writes what one commit of all the edits writes", "[iis][commit]") {
  iis_fixture once(lab_text());
  for (const auto& [method, params] : three_steps) once.call(method, params);
  once.svc->commit_step();

  iis_fixture stepwise(lab_text());
  std::vector<std::string> after_each;
  for (const auto& [method, params] : three_steps) {
    stepwise.call(method, params);
    stepwise.svc->commit_step();
    after_each.push_back(stepwise.on_disk());
  }
  CHECK(first_diff(stepwise.on_disk(), once.on_disk()) == "");
  CHECK(after_each[0] != after_each[1]);
  CHECK(after_each[1] != after_each[2]);
  // A fresh service reading the written file sees every step's change.
  iis_fixture reread(stepwise.on_disk());
  CHECK(reread.call("iis.app_pool.get", {{"name", "SmarterMail"}})["identity_type"] == "SpecificUser");
  CHECK(reread.call("iis.bindings.get", {{"site", "SmarterMail"}})["bindings"].size() == 1);
  CHECK(reread.call("iis.ip_security.get", {{"site", "SmarterMail"}})["allow_unlisted"] == false);
  // Committing with no new edit writes nothing.
  const auto mtime = std::filesystem::last_write_time(stepwise.file);
  stepwise.svc->commit_step();
  CHECK(std::filesystem::last_write_time(stepwise.file) == mtime);
}

TEST_CASE("discard after a committed step keeps that step and drops only the failed one", "[iis][commit]") {
  iis_fixture f(lab_text());
  f.call(three_steps[0].first, three_steps[0].second);
  f.svc->commit_step();
  const std::string after_first = f.on_disk();
  f.call(three_steps[1].first, three_steps[1].second);
  f.svc->discard_step();
  CHECK(f.call("iis.bindings.get", {{"site", "SmarterMail"}})["bindings"][0]["binding_information"] == "*:9998:");
  CHECK(f.call("iis.app_pool.get", {{"name", "SmarterMail"}})["identity_type"] == "SpecificUser");
  f.svc->commit_step();
  CHECK(f.on_disk() == after_first);
  f.call(three_steps[2].first, three_steps[2].second);
  f.svc->commit_step();
  CHECK(f.call("iis.ip_security.get", {{"site", "SmarterMail"}})["allow_unlisted"] == false);
  CHECK(f.call("iis.bindings.get", {{"site", "SmarterMail"}})["bindings"][0]["binding_information"] == "*:9998:");
  CHECK(f.announced.size() == 2);  // the config and its one history copy, whatever the number of commits
}

TEST_CASE("a same-size or shorter rewrite by another tool is a conflict too", "[iis][commit]") {
  for (const bool shorter : {false, true}) {
    iis_fixture f(lab_text());
    f.call("iis.bindings.add",
           {{"site", "SmarterMail"}, {"protocol", "http"}, {"binding_information", "127.0.0.1:9998:"}});
    std::string other = lab_text();
    if (shorter) {
      other.resize(other.size() - 1);
    } else {
      other[other.size() / 2] = other[other.size() / 2] == 'x' ? 'y' : 'x';
    }
    smharden::util::write_file_atomic(f.file, other);
    CHECK(error_code_of([&] { f.svc->commit_step(); }) == "conflict");
    CHECK(f.on_disk() == other);
  }
}

TEST_CASE("a file another tool wrote after smharden's own commit is not overwritten", "[iis][commit]") {
  iis_fixture f(lab_text());
  f.call(three_steps[0].first, three_steps[0].second);
  f.svc->commit_step();
  const std::string other = f.on_disk() + "<!-- written by appcmd -->";
  smharden::util::write_file_atomic(f.file, other);
  f.call(three_steps[1].first, three_steps[1].second);
  CHECK(error_code_of([&] { f.svc->commit_step(); }) == "conflict");
  CHECK(f.on_disk() == other);
}

TEST_CASE("undo records restore the previous state byte for byte", "[iis][undo]") {
  const std::string original = lab_text();
  iis_fixture f(original);
  std::vector<smharden::services::undo_record> journal;
  auto mutate = [&](const std::string& method, const json& params) {
    journal.push_back(f.undo(method, params));  // write-ahead, as the engine does
    f.call(method, params);
  };
  mutate("iis.app_pool.set_identity", {{"name", "SmarterMail"},
                                       {"identity_type", "SpecificUser"},
                                       {"user_name", ".\\smartermail-svc"},
                                       {"password_secret", "service_password"}});
  mutate("iis.bindings.set",
         {{"site", "SmarterMail"},
          {"bindings", json::parse(R"([{"protocol":"http","binding_information":"127.0.0.1:9998:"}])")}});
  mutate("iis.ip_security.set", {{"site", "SmarterMail"}, {"allow_unlisted", false}, {"entries", json::array()}});
  mutate("iis.dynamic_ip_security.set",
         {{"site", "SmarterMail"}, {"deny_by_request_rate", {{"enabled", true}, {"max_requests", 30}}}});
  f.svc->commit_step();
  REQUIRE(f.on_disk() != original);
  for (const auto& u : journal) {
    CHECK(!u.description.empty());
    CHECK(u.calls.dump().find("Corr3ct-Horse") == std::string::npos);
  }
  for (auto it = journal.rbegin(); it != journal.rend(); ++it) f.replay(*it);
  f.svc->commit_step();
  CHECK(first_diff(f.on_disk(), original) == "");
}

TEST_CASE("undo of an identity never journals a clear-text password", "[iis][undo]") {
  const std::string text =
      replace_once(lab_text(), R"(<processModel identityType="ApplicationPoolIdentity" idleTimeout)",
                   R"(<processModel identityType="SpecificUser" userName="old" password="PlainOld!" idleTimeout)");
  iis_fixture f(text);
  const auto u =
      f.undo("iis.app_pool.set_identity", {{"name", "SmarterMail"}, {"identity_type", "ApplicationPoolIdentity"}});
  CHECK(u.calls.dump().find("PlainOld!") == std::string::npos);
  CHECK(u.description.find("clear-text") != std::string::npos);
  CHECK(f.call("iis.app_pool.get", {{"name", "SmarterMail"}})["password"] == "clear-text");
}

TEST_CASE("mutations that match the current state change nothing", "[iis][idempotent]") {
  iis_fixture f(lab_text());
  const json ip = {{"site", "SmarterMail"}, {"allow_unlisted", true}, {"deny_action", "Forbidden"}};
  f.call("iis.ip_security.set", ip);  // effective values already match the schema defaults
  f.call("iis.bindings.set",
         {{"site", "SmarterMail"}, {"bindings", f.call("iis.bindings.get", {{"site", "SmarterMail"}})["bindings"]}});
  f.call("iis.dynamic_ip_security.set", {{"site", "SmarterMail"}, {"enable_logging_only_mode", false}});
  f.svc->commit_step();
  CHECK(f.announced.size() == 0);
  CHECK(f.on_disk() == lab_text());
}

TEST_CASE("bindings: refuses to leave a site with none, validates the format", "[iis][bindings]") {
  iis_fixture f(lab_text());
  CHECK(error_code_of([&] {
          f.call("iis.bindings.set", {{"site", "SmarterMail"}, {"bindings", json::array()}});
        }) == "refused");
  f.call("iis.bindings.set", {{"site", "SmarterMail"},
                              {"bindings", json::parse(R"([{"protocol":"http","binding_information":"*:9998:"}])")}});
  CHECK(error_code_of([&] {
          f.call("iis.bindings.remove",
                 {{"site", "SmarterMail"}, {"protocol", "http"}, {"binding_information", "*:9998:"}});
        }) == "refused");
  CHECK(error_code_of([&] {
          f.call("iis.bindings.add", {{"site", "SmarterMail"}, {"protocol", "http"}, {"binding_information", "9998"}});
        }) == "invalid_params");
  f.call("iis.bindings.add", {{"site", "SmarterMail"}, {"protocol", "http"}, {"binding_information", "[::1]:9998:"}});
  CHECK(f.call("iis.bindings.get", {{"site", "SmarterMail"}})["bindings"].size() == 2);
}

TEST_CASE("app pool password: needs the secret, a real server refuses instead of writing clear text",
          "[iis][identity]") {
  const json params = {{"name", "SmarterMail"},
                       {"identity_type", "SpecificUser"},
                       {"user_name", ".\\smartermail-svc"},
                       {"password_secret", "service_password"}};
  SECTION("missing secret") {
    iis_fixture f(lab_text());
    f.secrets.clear();
    CHECK(error_code_of([&] { f.call("iis.app_pool.set_identity", params); }) == "invalid_params");
  }
  SECTION("local target without IIS's configuration API (not Windows): refused with the IIS Manager steps") {
    iis_fixture f(lab_text(), smharden::services::target_kind::local);
    CHECK(f.svc->path() == f.file);
    CHECK(error_code_of([&] { f.call("iis.app_pool.set_identity", params); }) == "unavailable");
    CHECK(error_message_of([&] { f.call("iis.app_pool.set_identity", params); }).find("IIS Manager") !=
          std::string::npos);
    f.svc->commit_step();
    CHECK(f.on_disk() == lab_text());
    CHECK(f.announced.size() == 0);
  }
}

namespace {
/// Stands in for IIS's configuration API on a local target: writes the file as IIS does, with an
/// "encrypted" password, and records what it was given and what the journal knew at that moment.
class fake_iis_writer final : public smharden::services::iis::app_pool_identity_writer {
 public:
  struct seen {
    std::string pool, user, password, file_before;
    int journaled_before = 0;
    int calls = 0;
  };
  fake_iis_writer(iis_fixture& f, seen& s, bool refuse = false) : f_(f), s_(s), refuse_(refuse) {}
  void set_specific_user(const std::string& pool, const std::string& user, const std::string& password) override {
    ++s_.calls;
    s_.pool = pool;
    s_.user = user;
    s_.password = password;
    s_.file_before = f_.on_disk();
    s_.journaled_before = static_cast<int>(f_.announced.size());
    if (refuse_) throw smharden::services::service_error("failed", "IIS configuration API: access denied");
    smharden::services::iis::preserving_xml doc;
    doc.load(s_.file_before);
    pugi::xml_node pm = doc.root()
                            .child("system.applicationHost")
                            .child("applicationPools")
                            .find_child_by_attribute("add", "name", pool.c_str())
                            .child("processModel");
    doc.set_attribute(pm, "identityType", "SpecificUser");
    doc.set_attribute(pm, "userName", user);
    doc.set_attribute(pm, "password", "[enc:IISWASOnlyCngProvider:c2VhbGVkLWJ5LWlpcw==:enc]");
    smharden::util::write_file_atomic(f_.file, doc.serialize());
  }

 private:
  iis_fixture& f_;
  seen& s_;
  bool refuse_;
};

const json specific_user = {{"name", "SmarterMail"},
                            {"identity_type", "SpecificUser"},
                            {"user_name", ".\\smartermail-svc"},
                            {"password_secret", "service_password"}};

}  // namespace

TEST_CASE("real server: IIS gets the password and encrypts it, the file never holds it", "[iis][identity]") {
  const std::string original = lab_text();
  iis_fixture f(original, smharden::services::target_kind::local);
  fake_iis_writer::seen seen;
  f.svc->use_identity_writer(std::make_unique<fake_iis_writer>(f, seen));
  const auto undo = f.undo("iis.app_pool.set_identity", specific_user);  // journaled first, as the engine does
  const json result = f.call("iis.app_pool.set_identity", specific_user);
  REQUIRE(seen.calls == 1);
  CHECK(seen.pool == "SmarterMail");
  CHECK(seen.user == ".\\smartermail-svc");
  CHECK(seen.password == "Corr3ct-Horse!battery");
  // The config and its history copy were announced (backed up, journaled) before IIS wrote.
  CHECK(seen.journaled_before == 2);
  CHECK(seen.file_before == original);
  // The document was read again: the result and later calls see what IIS wrote.
  CHECK(result["identity_type"] == "SpecificUser");
  CHECK(result["password"] == "encrypted");
  CHECK(f.call("iis.app_pool.get", {{"name", "SmarterMail"}})["password"] == "encrypted");
  CHECK(f.on_disk().find("Corr3ct-Horse") == std::string::npos);
  CHECK(undo.calls.dump().find("Corr3ct-Horse") == std::string::npos);
  // The engine's commit after the step has nothing left to write.
  const std::string after = f.on_disk();
  f.svc->commit_step();
  CHECK(f.on_disk() == after);
  // Rollback's undo call puts the previous identity back through the document.
  f.replay(undo);
  f.svc->commit_step();
  CHECK(first_diff(f.on_disk(), original) == "");
}

TEST_CASE("real server: the step's earlier edits reach the file before IIS writes it", "[iis][identity]") {
  iis_fixture f(lab_text(), smharden::services::target_kind::local);
  fake_iis_writer::seen seen;
  f.svc->use_identity_writer(std::make_unique<fake_iis_writer>(f, seen));
  f.call("iis.bindings.set",
         {{"site", "SmarterMail"},
          {"bindings", json::parse(R"([{"protocol":"http","binding_information":"127.0.0.1:9998:"}])")}});
  f.call("iis.app_pool.set_identity", specific_user);
  CHECK(seen.file_before.find("127.0.0.1:9998:") != std::string::npos);
  CHECK(f.on_disk().find("127.0.0.1:9998:") != std::string::npos);
  CHECK(f.on_disk().find("[enc:IISWASOnlyCngProvider:") != std::string::npos);
}

TEST_CASE("real server: a file another tool changed is not handed to IIS, IIS refusing is reported",
          "[iis][identity]") {
  iis_fixture f(lab_text(), smharden::services::target_kind::local);
  fake_iis_writer::seen seen;
  SECTION("changed by another tool since smharden read it") {
    f.svc->use_identity_writer(std::make_unique<fake_iis_writer>(f, seen));
    CHECK(f.call("iis.app_pool.get", {{"name", "SmarterMail"}})["identity_type"] == "ApplicationPoolIdentity");
    const std::string other = lab_text() + "<!-- IIS Manager -->";
    smharden::util::write_file_atomic(f.file, other);
    CHECK(error_code_of([&] { f.call("iis.app_pool.set_identity", specific_user); }) == "conflict");
    CHECK(seen.calls == 0);
    CHECK(f.on_disk() == other);
  }
  SECTION("IIS refuses") {
    f.svc->use_identity_writer(std::make_unique<fake_iis_writer>(f, seen, true));
    const std::string message = error_message_of([&] { f.call("iis.app_pool.set_identity", specific_user); });
    CHECK(message.find("access denied") != std::string::npos);
    CHECK(message.find("Corr3ct-Horse") == std::string::npos);
    CHECK(seen.calls == 1);
    CHECK(f.on_disk() == lab_text());
  }
}

TEST_CASE("recycle in a lab is recorded, undo is empty", "[iis][recycle]") {
  iis_fixture f(lab_text());
  CHECK(f.undo("iis.app_pool.recycle", {{"name", "SmarterMail"}}).calls.empty());
  CHECK(f.call("iis.app_pool.recycle", {{"name", "smartermail"}})["recycled"] == true);
  const std::string log = smharden::util::read_file(f.file.parent_path() / "recycle.log");
  CHECK(log.find("recycle SmarterMail") != std::string::npos);
  CHECK(error_code_of([&] { f.call("iis.app_pool.recycle", {{"name", "nope"}}); }) == "not_found");
}

TEST_CASE("seed_iis_lab writes the embedded template, config path honours target.json", "[iis][lab]") {
  const smharden::test::temp_dir seed_dir("smharden-iis-seed");
  const auto& dir = seed_dir.path();
  smharden::services::seed_iis_lab(dir);
  CHECK(smharden::util::read_file(dir / "iis" / "applicationHost.config") == lab_text());
  smharden::services::target t;
  t.kind = smharden::services::target_kind::lab;
  t.root = dir;
  CHECK(iis::config_path(t) == dir / "iis" / "applicationHost.config");
  t.config = {{"iis", {{"config", "elsewhere/aH.config"}}}};
  CHECK(iis::config_path(t) == dir / "elsewhere" / "aH.config");
}
