// The iis-identity plugin's pure policy logic: the identity plan.
#include <catch2/catch.hpp>

#include "../finding_lookup.hpp"

#include "iis-identity/identity_policy.hpp"

using smharden::json;

using smharden::test::has_finding;

TEST_CASE("iis-identity: plan, user name equivalence, shared pool refusal", "[iis-identity]") {
  namespace id = smharden::iis_identity;
  const json params = {{"user_name", ".\\smartermail-svc"}, {"password_secret", "service_password"}};
  const json site = {{"name", "SmarterMail"}, {"app_pool", "SmarterMail"}};
  json pool = {{"name", "SmarterMail"},
               {"identity_type", "ApplicationPoolIdentity"},
               {"user_name", ""},
               {"password", "absent"},
               {"sites", {"SmarterMail"}}};
  auto p = id::make_plan(params, site, pool);
  REQUIRE(p.set_identity);
  CHECK((*p.set_identity)["identity_type"] == "SpecificUser");
  CHECK((*p.set_identity)["password_secret"] == "service_password");
  CHECK(has_finding(p.findings, "identity-type"));

  pool["identity_type"] = "SpecificUser";
  pool["user_name"] = "SMARTERMAIL-SVC";
  pool["password"] = "encrypted";
  p = id::make_plan(params, site, pool);
  CHECK(p.findings.empty());
  CHECK_FALSE(p.set_identity);
  // A password rotation (run.rotation.status) sets the compliant pool's password again, once.
  p = id::make_plan(params, site, pool, true);
  CHECK(has_finding(p.findings, "password-rotation"));
  REQUIRE(p.set_identity);
  CHECK((*p.set_identity)["password_secret"] == "service_password");
  CHECK((*p.set_identity)["identity_type"] == "SpecificUser");
  CHECK(p.findings.size() == 1);
  CHECK_FALSE(id::same_account("CORP\\smartermail-svc", ".\\smartermail-svc"));

  pool["password"] = "clear-text";
  CHECK(has_finding(id::make_plan(params, site, pool).findings, "password-clear-text"));

  pool["sites"] = {"SmarterMail", "Default Web Site"};
  p = id::make_plan(params, site, pool);
  CHECK(p.refusal);
  CHECK(has_finding(p.findings, "shared-pool"));
  CHECK_FALSE(id::make_plan(json{{"allow_shared_pool", true}}, site, pool).refusal);
}

TEST_CASE("iis-identity: a rotation on a pool that drifts anyway adds no second finding, and a shared pool is refused",
          "[iis-identity]") {
  namespace id = smharden::iis_identity;
  const json site = {{"name", "SmarterMail"}, {"app_pool", "SmarterMail"}};
  json pool = {{"name", "SmarterMail"},
               {"identity_type", "ApplicationPoolIdentity"},
               {"password", "absent"},
               {"sites", {"SmarterMail"}}};
  const json params = {{"user_name", ".\\smartermail-svc"}};
  auto p = id::make_plan(params, site, pool, true);
  CHECK(has_finding(p.findings, "identity-type"));
  CHECK_FALSE(has_finding(p.findings, "password-rotation"));
  CHECK(p.set_identity);
  pool["sites"] = {"SmarterMail", "Other"};
  p = id::make_plan(params, site, pool, true);
  CHECK(p.refusal);
  CHECK_FALSE(p.set_identity);
}
