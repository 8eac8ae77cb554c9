// The service plugin's pure policy, fed with the windows service's
// JSON shapes.
#include <catch2/catch.hpp>

#include "../finding_lookup.hpp"
#include "../test_user.hpp"

#include "service/service_policy.hpp"

using json = nlohmann::json;

using smharden::test::ids;
using smharden::test::user_sid;

namespace {
const json named = {{"service_name", "SmarterMail"}};

}  // namespace

TEST_CASE("service: LocalSystem is drift with a set_logon to .\\user", "[windows][plugins][service]") {
  smharden::service_step::observed o;
  o.service = {{"exists", true}, {"name", "SmarterMail"}, {"account", "LocalSystem"}};
  o.current_account = {{"exists", true}, {"sid", "S-1-5-18"}};
  o.desired_account = {{"exists", false}};
  const auto p = smharden::service_step::make_plan(named, o);
  CHECK(ids(p.findings) == std::vector<std::string>{"logon-account"});
  REQUIRE(p.set_logon);
  CHECK((*p.set_logon)["account"] == ".\\smartermail-svc");
  CHECK((*p.set_logon)["password_secret"] == "service_password");
}

TEST_CASE("service: the same account in another spelling is compliant", "[windows][plugins][service]") {
  smharden::service_step::observed o;
  o.service = {{"exists", true}, {"name", "SmarterMail"}, {"account", "SMLAB\\SmarterMail-Svc"}};
  o.current_account = {{"exists", true}, {"sid", user_sid}};
  o.desired_account = {{"exists", true}, {"sid", user_sid}};
  CHECK(smharden::service_step::make_plan(named, o).findings.empty());
  o.current_account = {{"exists", false}};
  o.service["account"] = ".\\SMARTERMAIL-SVC";
  CHECK(smharden::service_step::make_plan(named, o).findings.empty());
}

TEST_CASE("service: an existing user without a password secret says how to supply it", "[windows][plugins][service]") {
  smharden::service_step::observed o;
  o.service = {{"exists", true}, {"name", "SmarterMail"}, {"account", "LocalSystem"}};
  o.current_account = {{"exists", true}, {"sid", "S-1-5-18"}};
  o.desired_account = {{"exists", true}, {"sid", user_sid}};
  o.password_available = false;
  const auto p = smharden::service_step::make_plan(named, o);
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

TEST_CASE("service: an empty service_name takes the detected service, none detected is a manual finding",
          "[windows][plugins][service]") {
  const json located = {{"found", true}, {"service_name", "SmarterMail"}, {"install_dir", "D:\\SM"}};
  CHECK(smharden::service_step::resolve_service_name(json::object(), located)["service_name"] == "SmarterMail");
  CHECK(smharden::service_step::resolve_service_name({{"service_name", "Mail"}}, located)["service_name"] == "Mail");
  const json none = {{"found", false}, {"candidates", json::array()}};
  const json params = smharden::service_step::resolve_service_name(json::object(), none);
  CHECK(params["service_name"] == "");
  smharden::service_step::observed o;
  o.located = none;
  const auto p = smharden::service_step::make_plan(params, o);
  CHECK(ids(p.findings) == std::vector<std::string>{"service-not-detected"});
  CHECK_FALSE(p.findings[0].automated);
  CHECK_FALSE(p.set_logon);
}

TEST_CASE("service: a rotation request sets the logon again with the rotation's secret",
          "[windows][plugins][service]") {
  smharden::service_step::observed o;
  o.service = {{"exists", true}, {"name", "SmarterMail"}, {"account", ".\\smartermail-svc"}};
  o.current_account = {{"exists", true}, {"sid", user_sid}};
  o.desired_account = {{"exists", true}, {"sid", user_sid}};
  o.password_available = true;
  CHECK(smharden::service_step::make_plan(named, o).findings.empty());
  o.rotation_requested = true;
  const auto p = smharden::service_step::make_plan(named, o);
  CHECK(ids(p.findings) == std::vector<std::string>{"password-rotation"});
  REQUIRE(p.set_logon);
  CHECK((*p.set_logon)["account"] == ".\\smartermail-svc");
  CHECK((*p.set_logon)["password_secret"] == "service_password");
  // A service on another account: the logon change carries the new password; one finding.
  o.service["account"] = "LocalSystem";
  o.current_account = {{"exists", true}, {"sid", "S-1-5-18"}};
  CHECK(ids(smharden::service_step::make_plan(named, o).findings) == std::vector<std::string>{"logon-account"});
}
