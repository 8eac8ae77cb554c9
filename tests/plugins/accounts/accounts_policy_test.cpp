// The accounts plugin's pure policy, fed with the windows service's
// JSON shapes.
#include <catch2/catch.hpp>

#include "../finding_lookup.hpp"
#include "../test_user.hpp"

#include "accounts/accounts_policy.hpp"

using json = nlohmann::json;

using smharden::test::ids;
using smharden::test::user_sid;

namespace {
json compliant_user() {
  return {{"exists", true},
          {"name", "smartermail-svc"},
          {"sid", user_sid},
          {"description", "SmarterMail service account"},
          {"password_never_expires", true},
          {"must_change_password", false},
          {"disabled", false},
          {"groups", json::array({"Users"})}};
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

TEST_CASE("accounts: a rotation request sets the existing user's password, named by secret only",
          "[windows][plugins][accounts]") {
  const auto p = smharden::accounts::make_plan(json{{"password_secret", "svc_pw"}}, compliant_user(), true);
  CHECK(ids(p.findings) == std::vector<std::string>{"password-rotation"});
  CHECK(p.set_password);
  CHECK_FALSE(p.create_user);
  REQUIRE(p.changes.size() == 1);
  CHECK(p.changes[0].id == "password-rotation");
  CHECK(p.findings[0].remediation.find("--rotate-service-password") != std::string::npos);
  CHECK(p.findings[0].desired.dump().find("svc_pw") != std::string::npos);
  // Without the request nothing is set; a user to create gets its password at creation.
  CHECK_FALSE(smharden::accounts::make_plan(json::object(), compliant_user()).set_password);
  const auto create = smharden::accounts::make_plan(json::object(), json{{"exists", false}}, true);
  CHECK(create.create_user);
  CHECK_FALSE(create.set_password);
  CHECK(ids(create.findings) == std::vector<std::string>{"user-missing"});
}

TEST_CASE("accounts: reset_password is gone from the defaults", "[windows][plugins][accounts]") {
  CHECK_FALSE(smharden::accounts::with_defaults(json::object()).contains("reset_password"));
}
