// The four Windows plugins' pure policies, fed with the windows service's
// JSON shapes.
#include <catch2/catch.hpp>

#include "../../plugins/accounts/accounts_policy.hpp"
#include "../../plugins/acl/acl_policy.hpp"
#include "../../plugins/rights/rights_policy.hpp"
#include "../../plugins/service/service_policy.hpp"

using json = nlohmann::json;

namespace {
const std::string sid = "S-1-5-21-1-2-3-1001";
const std::string install_dir = "C:\\Program Files (x86)\\SmarterTools\\SmarterMail";
const std::string data_dir = "C:\\SmarterMail";

json compliant_user() {
  return {{"exists", true},
          {"name", "smartermail-svc"},
          {"sid", sid},
          {"description", "SmarterMail service account"},
          {"password_never_expires", true},
          {"must_change_password", false},
          {"disabled", false},
          {"groups", json::array({"Users"})}};
}

json default_acl(bool with_user_grant) {
  json aces = json::array();
  if (with_user_grant) {
    aces.push_back({{"type", "allow"}, {"sid", sid}, {"mask", 0x1301BF}, {"flags", {"OI", "CI"}}});
  }
  aces.push_back({{"type", "allow"}, {"sid", "S-1-5-18"}, {"mask", 0x1F01FF}, {"flags", {"OI", "CI", "ID"}}});
  aces.push_back({{"type", "allow"}, {"sid", "S-1-5-32-545"}, {"mask", 0x1200A9}, {"flags", {"OI", "CI", "ID"}}});
  return {{"exists", true}, {"aces", aces}};
}

std::vector<std::string> ids(const std::vector<smharden::finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) out.push_back(f.id);
  return out;
}
}  // namespace

TEST_CASE("accounts: a missing user is one finding and a create", "[windows][plugins][accounts]") {
  const auto p = smharden::accounts::make_plan(json::object(), json{{"exists", false}});
  CHECK(ids(p.findings) == std::vector<std::string>{"user-missing"});
  CHECK(p.create_user);
  CHECK(p.calls.empty());
}

TEST_CASE("accounts: a compliant user gives nothing to do", "[windows][plugins][accounts]") {
  const auto p = smharden::accounts::make_plan(json::object(), compliant_user());
  CHECK(p.findings.empty());
  CHECK(p.calls.empty());
  CHECK(p.changes.empty());
  CHECK_FALSE(p.create_user);
}

TEST_CASE("accounts: each deviation is its own finding and one update fixes them", "[windows][plugins][accounts]") {
  json u = compliant_user();
  u["password_never_expires"] = false;
  u["must_change_password"] = true;
  u["disabled"] = true;
  u["description"] = "old";
  const auto p = smharden::accounts::make_plan(json::object(), u);
  CHECK(ids(p.findings) ==
        std::vector<std::string>{"password-expires", "must-change-password", "disabled", "description"});
  REQUIRE(p.calls.size() == 1);
  CHECK(p.calls[0].method == "windows.user.update");
  CHECK(p.calls[0].params == json{{"name", "smartermail-svc"},
                                  {"password_never_expires", true},
                                  {"must_change_password", false},
                                  {"disabled", false},
                                  {"description", "SmarterMail service account"}});
}

TEST_CASE("accounts: membership of Administrators is reported and removed", "[windows][plugins][accounts]") {
  json u = compliant_user();
  u["groups"] = json::array({"administrators", "Users"});
  const auto p = smharden::accounts::make_plan(json::object(), u);
  CHECK(ids(p.findings) == std::vector<std::string>{"in-group:Administrators"});
  REQUIRE(p.calls.size() == 1);
  CHECK(p.calls[0].method == "windows.groups.remove_member");
  CHECK(p.calls[0].params["group"] == "administrators");
  // The findings never carry a password.
  CHECK(json(p.calls[0].params).dump().find("password\"") == std::string::npos);
}

TEST_CASE("rights: missing logon right is granted, deny right revoked", "[windows][plugins][rights]") {
  const auto none = smharden::rights::make_plan(json::object(), {{"exists", true}, {"rights", json::array()}});
  CHECK(ids(none.findings) == std::vector<std::string>{"missing:SeServiceLogonRight"});
  CHECK(none.grant == std::vector<std::string>{"SeServiceLogonRight"});
  const auto deny = smharden::rights::make_plan(
      json::object(), {{"exists", true}, {"rights", {"SeDenyServiceLogonRight", "SeServiceLogonRight"}}});
  CHECK(ids(deny.findings) == std::vector<std::string>{"forbidden:SeDenyServiceLogonRight"});
  CHECK(deny.grant.empty());
  CHECK(deny.revoke == std::vector<std::string>{"SeDenyServiceLogonRight"});
  const auto ok = smharden::rights::make_plan(json::object(), {{"exists", true}, {"rights", {"SeServiceLogonRight"}}});
  CHECK(ok.findings.empty());
  const auto missing = smharden::rights::make_plan(json::object(), {{"exists", false}});
  CHECK(missing.account_missing);
  CHECK(ids(missing.findings) == std::vector<std::string>{"account-missing"});
}

TEST_CASE("acl: folders without the inherited Modify grant are planned", "[windows][plugins][acl]") {
  const json account = {{"exists", true}, {"sid", sid}};
  const auto p = smharden::acl::make_plan(json::object(), account, {default_acl(false), default_acl(true)});
  CHECK(ids(p.findings) == std::vector<std::string>{"missing-grant:" + install_dir});
  CHECK(p.grant == std::vector<std::string>{install_dir});
  const auto ok = smharden::acl::make_plan(json::object(), account, {default_acl(true), default_acl(true)});
  CHECK(ok.findings.empty());
  CHECK(ok.grant.empty());
}

TEST_CASE("acl: a missing folder is a clear, non-automated finding", "[windows][plugins][acl]") {
  const json account = {{"exists", true}, {"sid", sid}};
  const auto p = smharden::acl::make_plan({{"folders", {"D:\\Mail"}}}, account, {json{{"exists", false}}});
  REQUIRE(p.findings.size() == 1);
  CHECK(p.findings[0].id == "folder-missing:D:\\Mail");
  CHECK_FALSE(p.findings[0].automated);
  CHECK(p.findings[0].title.find("D:\\Mail") != std::string::npos);
  CHECK(p.grant.empty());
}

TEST_CASE("acl: an ACE without inheritance or a deny ACE does not count", "[windows][plugins][acl]") {
  const json account = {{"exists", true}, {"sid", sid}};
  json no_inherit = default_acl(false);
  no_inherit["aces"].push_back({{"type", "allow"}, {"sid", sid}, {"mask", 0x1301BF}, {"flags", json::array()}});
  const auto p = smharden::acl::make_plan({{"folders", {data_dir}}}, account, {no_inherit});
  REQUIRE(p.findings.size() == 1);
  CHECK(p.findings[0].current == json::array({"allow modify"}));
  CHECK(p.grant.size() == 1);
  json denied = default_acl(true);
  denied["aces"].push_back({{"type", "deny"}, {"sid", sid}, {"mask", 0x10000}, {"flags", {"OI", "CI"}}});
  const auto d = smharden::acl::make_plan({{"folders", {data_dir}}}, account, {denied});
  REQUIRE(d.findings.size() == 1);
  CHECK(d.findings[0].id == "denied:" + data_dir);
  CHECK_FALSE(d.findings[0].automated);
  CHECK(d.grant.empty());
}

TEST_CASE("service: LocalSystem is drift with a set_logon to .\\user", "[windows][plugins][service]") {
  smharden::service_step::observed o;
  o.service = {{"exists", true}, {"name", "SmarterMail"}, {"account", "LocalSystem"}};
  o.current_account = {{"exists", true}, {"sid", "S-1-5-18"}};
  o.desired_account = {{"exists", false}};
  const auto p = smharden::service_step::make_plan(json::object(), o);
  CHECK(ids(p.findings) == std::vector<std::string>{"logon-account"});
  REQUIRE(p.set_logon);
  CHECK((*p.set_logon)["account"] == ".\\smartermail-svc");
  CHECK((*p.set_logon)["password_secret"] == "service_password");
}

TEST_CASE("service: the same account in another spelling is compliant", "[windows][plugins][service]") {
  smharden::service_step::observed o;
  o.service = {{"exists", true}, {"name", "SmarterMail"}, {"account", "SMLAB\\SmarterMail-Svc"}};
  o.current_account = {{"exists", true}, {"sid", sid}};
  o.desired_account = {{"exists", true}, {"sid", sid}};
  CHECK(smharden::service_step::make_plan(json::object(), o).findings.empty());
  o.current_account = {{"exists", false}};
  o.service["account"] = ".\\SMARTERMAIL-SVC";
  CHECK(smharden::service_step::make_plan(json::object(), o).findings.empty());
}

TEST_CASE("service: an existing user without a password secret says how to supply it", "[windows][plugins][service]") {
  smharden::service_step::observed o;
  o.service = {{"exists", true}, {"name", "SmarterMail"}, {"account", "LocalSystem"}};
  o.current_account = {{"exists", true}, {"sid", "S-1-5-18"}};
  o.desired_account = {{"exists", true}, {"sid", sid}};
  o.password_available = false;
  const auto p = smharden::service_step::make_plan(json::object(), o);
  CHECK(ids(p.findings) == std::vector<std::string>{"logon-account", "password-needed"});
  CHECK(p.findings[1].remediation.find("SMHARDEN_SECRET_SERVICE_PASSWORD") != std::string::npos);
  CHECK(p.findings[1].remediation.find("--secret-file") != std::string::npos);
  CHECK_FALSE(p.findings[1].automated);
}

TEST_CASE("service: a missing service is reported, not guessed", "[windows][plugins][service]") {
  smharden::service_step::observed o;
  o.service = {{"exists", false}};
  const auto p = smharden::service_step::make_plan({{"service_name", "SmarterMailSvc"}}, o);
  CHECK(ids(p.findings) == std::vector<std::string>{"service-missing"});
  CHECK_FALSE(p.findings[0].automated);
  CHECK_FALSE(p.set_logon);
}
