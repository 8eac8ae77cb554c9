// The sm-admin plugin's pure policy logic.
#include <catch2/catch.hpp>

#include "../finding_lookup.hpp"

#include "sm-admin/admin_policy.hpp"

using json = nlohmann::json;

using smharden::test::has_finding;

TEST_CASE("sm-admin: 2FA is reported, not automated, IP rules are enforced safely", "[smartermail][policy]") {
  const json admins = {{"admins",
                        {{{"username", "admin"},
                          {"primary", true},
                          {"two_factor", false},
                          {"restrict_login_by_ip", false},
                          {"ip_rules", json::array()}},
                         {{"username", "ops"},
                          {"primary", false},
                          {"two_factor", true},
                          {"restrict_login_by_ip", true},
                          {"ip_rules", {{{"name", "management 1"}, {"ip", "192.0.2.0/24"}}}}}}}};
  const json mgmt = {"192.0.2.0/24"};
  auto p = smharden::sm_admin::make_plan(admins, json::object(), mgmt);
  CHECK(p.refusal.empty());
  REQUIRE(has_finding(p.findings, "two-factor:admin"));
  const auto tf =
      *std::find_if(p.findings.begin(), p.findings.end(), [](const auto& f) { return f.id == "two-factor:admin"; });
  CHECK_FALSE(tf.automated);
  CHECK(tf.severity == "high");
  CHECK(tf.remediation.find("authenticator") != std::string::npos);
  CHECK(has_finding(p.findings, "login-ip:admin"));
  CHECK_FALSE(has_finding(p.findings, "two-factor:ops"));
  CHECK_FALSE(has_finding(p.findings, "login-ip:ops"));  // already restricted to the management range
  REQUIRE(p.changes.size() == 1);
  CHECK(p.changes[0].params["ip_rules"][0]["ip"] == "192.0.2.0/24");
  CHECK(p.changes[0].params["restrict_login_by_ip"] == true);

  SECTION("rules that would exclude a management range are refused") {
    const json params = {{"ip_rules", {{{"name", "office"}, {"ip", "198.51.100.0/24"}}}}};
    p = smharden::sm_admin::make_plan(admins, params, mgmt);
    CHECK_FALSE(p.refusal.empty());
    CHECK(p.changes.empty());
    CHECK(has_finding(p.findings, "ip-rules-unsafe"));
  }
  SECTION("the host's lockout guard decides when its answer is given") {
    const json params = {{"ip_rules", {{{"name", "office"}, {"ip", "198.51.100.0/24"}}}}};
    CHECK(smharden::sm_admin::guard_request(smharden::sm_admin::effective_rules(params, mgmt)) ==
          json({{"allow", {"198.51.100.0/24"}},
                {"default", "deny"},
                {"what", "SmarterMail administrator login restriction (sm-admin)"}}));
    p = smharden::sm_admin::make_plan(admins, params, mgmt, {{"ok", false}, {"message", "excludes 192.0.2.0/24"}});
    CHECK(p.refusal.find("excludes 192.0.2.0/24") != std::string::npos);
    CHECK(p.changes.empty());
    // --allow-lockout-risk: the guard says ok (overridden), so the rules are applied.
    p = smharden::sm_admin::make_plan(admins, params, mgmt, {{"ok", true}, {"overridden", true}});
    CHECK(p.refusal.empty());
    CHECK(p.changes.size() == 2);
  }
  SECTION("no rules and no management ranges: nothing is restricted") {
    p = smharden::sm_admin::make_plan(admins, json::object(), json::array());
    CHECK(p.changes.empty());
    CHECK(p.refusal.find("management_cidrs") != std::string::npos);
  }
  SECTION("ensure mode keeps the admin's other rules") {
    json more = admins;
    more["admins"][1]["ip_rules"].push_back({{"name", "vpn"}, {"ip", "203.0.113.0/24"}});
    p = smharden::sm_admin::make_plan(more, {{"rules_mode", "ensure"}}, mgmt);
    CHECK_FALSE(has_finding(p.findings, "login-ip:ops"));
    p = smharden::sm_admin::make_plan(more, {{"rules_mode", "exact"}}, mgmt);
    CHECK(has_finding(p.findings, "login-ip:ops"));
  }
}
