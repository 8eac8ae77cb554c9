// sm-admin: rules default to the management audience, an unproven rule set is
// a finding, the 2FA method is checked where exposed, and the manual text
// carries the recovery for a lost authenticator.
#include <catch2/catch.hpp>

#include "../finding_lookup.hpp"

#include "sm-admin/admin_policy.hpp"

using json = nlohmann::json;

using smharden::test::find;

namespace {

json admin(const std::string& name, bool two_factor, json method) {
  return {{"username", name},
          {"primary", false},
          {"two_factor", two_factor},
          {"two_factor_method", std::move(method)},
          {"restrict_login_by_ip", false},
          {"ip_rules", json::array()}};
}

}  // namespace

TEST_CASE("sm-admin: the baseline's empty ip_rules apply the management audience", "[smartermail][policy]") {
  const json admins = {{"admins", {admin("admin", true, "authenticator")}}};
  const json baseline_params = {{"require_two_factor", true},
                                {"restrict_login_by_ip", true},
                                {"ip_rules", json::array()},
                                {"rules_mode", "exact"}};
  const auto p =
      smharden::sm_admin::make_plan(admins, baseline_params, json({"203.0.113.0/24", "192.0.2.7"}), {{"ok", true}});
  CHECK(p.refusal.empty());
  REQUIRE(p.changes.size() == 1);
  CHECK(p.changes[0].params["ip_rules"] ==
        json({{{"name", "management 1"}, {"ip", "203.0.113.0/24"}}, {{"name", "management 2"}, {"ip", "192.0.2.7"}}}));
  CHECK(find(p.findings, "ip-rules-unproven") == nullptr);
}

TEST_CASE("sm-admin: rules without management ranges keep the lockout warning as a finding", "[smartermail][policy]") {
  const json admins = {{"admins", {admin("admin", true, nullptr)}}};
  const json params = {{"ip_rules", {{{"name", "office"}, {"ip", "198.51.100.0/24"}}}}};
  // The host's guard: ok, with a warning that nothing proves the rules keep the operator in.
  auto p = smharden::sm_admin::make_plan(admins, params, json::array(),
                                         {{"ok", true}, {"warning", "the profile names no management_cidrs"}});
  const auto* f = find(p.findings, "ip-rules-unproven");
  REQUIRE(f != nullptr);
  CHECK_FALSE(f->automated);
  CHECK(f->remediation.find("no management_cidrs") != std::string::npos);
  CHECK(p.changes.size() == 1);  // the rules still apply: the operator gave them
  // Without the host's guard the plugin's own check says the same.
  p = smharden::sm_admin::make_plan(admins, params, json::array());
  CHECK(find(p.findings, "ip-rules-unproven") != nullptr);
  // With a management range there is nothing to warn about.
  p = smharden::sm_admin::make_plan(admins, params, json({"198.51.100.7"}), {{"ok", true}});
  CHECK(find(p.findings, "ip-rules-unproven") == nullptr);
}

TEST_CASE("sm-admin: the 2FA method is checked where the admin record exposes it", "[smartermail][policy]") {
  const json admins = {{"admins",
                        {admin("mailer", true, "email"), admin("app", true, "authenticator"),
                         admin("unknown", true, nullptr), admin("none", false, "none")}}};
  const json params = {{"restrict_login_by_ip", false}};
  auto p = smharden::sm_admin::make_plan(admins, params, json::array());
  const auto* f = find(p.findings, "two-factor-method:mailer");
  REQUIRE(f != nullptr);
  CHECK_FALSE(f->automated);
  CHECK(f->remediation.find("authenticator app") != std::string::npos);
  CHECK(find(p.findings, "two-factor-method:app") == nullptr);
  CHECK(find(p.findings, "two-factor-method:unknown") == nullptr);  // not exposed: not guessed
  CHECK(find(p.findings, "two-factor:none") != nullptr);
  p = smharden::sm_admin::make_plan(admins, {{"restrict_login_by_ip", false}, {"two_factor_method", "any"}},
                                    json::array());
  CHECK(find(p.findings, "two-factor-method:mailer") == nullptr);
}

TEST_CASE("sm-admin: the manual text carries the recovery for a lost authenticator", "[smartermail][policy]") {
  const std::string text = smharden::sm_admin::two_factor_remediation("admin");
  CHECK(text.find("authenticator is lost") != std::string::npos);
  CHECK(text.find("administrators.json") != std::string::npos);
  CHECK(text.find("stop the SmarterMail service") != std::string::npos);
}
