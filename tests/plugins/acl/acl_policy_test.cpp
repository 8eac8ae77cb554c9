// The acl plugin's pure policy, fed with the windows service's
// JSON shapes.
#include <catch2/catch.hpp>

#include "../finding_lookup.hpp"
#include "../test_user.hpp"

#include "acl/acl_policy.hpp"

using json = nlohmann::json;

using smharden::test::ids;
using smharden::test::user_sid;

namespace {
const std::string install_dir = "C:\\Program Files (x86)\\SmarterTools\\SmarterMail";
const std::string data_dir = "C:\\SmarterMail";

json default_acl(bool with_user_grant) {
  json aces = json::array();
  if (with_user_grant) {
    aces.push_back({{"type", "allow"}, {"sid", user_sid}, {"mask", 0x1301BF}, {"flags", {"OI", "CI"}}});
  }
  aces.push_back({{"type", "allow"}, {"sid", "S-1-5-18"}, {"mask", 0x1F01FF}, {"flags", {"OI", "CI", "ID"}}});
  aces.push_back({{"type", "allow"}, {"sid", "S-1-5-32-545"}, {"mask", 0x1200A9}, {"flags", {"OI", "CI", "ID"}}});
  return {{"exists", true}, {"aces", aces}};
}

}  // namespace

TEST_CASE("acl: folders without the inherited Modify grant are planned", "[windows][plugins][acl]") {
  const json account = {{"exists", true}, {"sid", user_sid}};
  const json both = {{"folders", {install_dir, data_dir}}};
  const auto p = smharden::acl::make_plan(both, account, {default_acl(false), default_acl(true)});
  CHECK(ids(p.findings) == std::vector<std::string>{"missing-grant:" + install_dir});
  CHECK(p.grant == std::vector<std::string>{install_dir});
  const auto ok = smharden::acl::make_plan(both, account, {default_acl(true), default_acl(true)});
  CHECK(ok.findings.empty());
  CHECK(ok.grant.empty());
}

TEST_CASE("acl: a missing folder is a clear, non-automated finding", "[windows][plugins][acl]") {
  const json account = {{"exists", true}, {"sid", user_sid}};
  const auto p = smharden::acl::make_plan({{"folders", {"D:\\Mail"}}}, account, {json{{"exists", false}}});
  REQUIRE(p.findings.size() == 1);
  CHECK(p.findings[0].id == "folder-missing:D:\\Mail");
  CHECK_FALSE(p.findings[0].automated);
  CHECK(p.findings[0].title.find("D:\\Mail") != std::string::npos);
  CHECK(p.grant.empty());
}

TEST_CASE("acl: an ACE without inheritance or a deny ACE does not count", "[windows][plugins][acl]") {
  const json account = {{"exists", true}, {"sid", user_sid}};
  json no_inherit = default_acl(false);
  no_inherit["aces"].push_back({{"type", "allow"}, {"sid", user_sid}, {"mask", 0x1301BF}, {"flags", json::array()}});
  const auto p = smharden::acl::make_plan({{"folders", {data_dir}}}, account, {no_inherit});
  REQUIRE(p.findings.size() == 1);
  CHECK(p.findings[0].current == json::array({"allow modify"}));
  CHECK(p.grant.size() == 1);
  json denied = default_acl(true);
  denied["aces"].push_back({{"type", "deny"}, {"sid", user_sid}, {"mask", 0x10000}, {"flags", {"OI", "CI"}}});
  const auto d = smharden::acl::make_plan({{"folders", {data_dir}}}, account, {denied});
  REQUIRE(d.findings.size() == 1);
  CHECK(d.findings[0].id == "denied:" + data_dir);
  CHECK_FALSE(d.findings[0].automated);
  CHECK(d.grant.empty());
}

TEST_CASE("acl: the install folder comes first, given or detected, unknown is a manual finding",
          "[windows][plugins][acl]") {
  const json located = {{"found", true}, {"service_name", "SmarterMail"}, {"install_dir", "D:\\SmarterMail"}};
  auto list = smharden::acl::effective_folders(json::object(), located);
  CHECK(list.folders == std::vector<std::string>{"D:\\SmarterMail", data_dir});
  CHECK_FALSE(list.install_dir_unknown);
  list = smharden::acl::effective_folders({{"install_dir", install_dir}}, located);  // the override wins
  CHECK(list.folders == std::vector<std::string>{install_dir, data_dir});
  list = smharden::acl::effective_folders({{"folders", {"d:/smartermail/", data_dir}}}, located);  // same folder
  CHECK(list.folders == std::vector<std::string>{"D:\\SmarterMail", data_dir});
  list = smharden::acl::effective_folders(json::object(), {{"found", false}, {"candidates", json::array()}});
  CHECK(list.folders == std::vector<std::string>{data_dir});
  REQUIRE(list.install_dir_unknown);
  CHECK(list.install_dir_unknown->id == "install-dir-unknown");
  CHECK_FALSE(list.install_dir_unknown->automated);
  list = smharden::acl::effective_folders({{"include_install_dir", false}}, nullptr);
  CHECK(list.folders == std::vector<std::string>{data_dir});
  CHECK_FALSE(list.install_dir_unknown);
}
