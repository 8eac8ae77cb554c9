// The sm-* plugins' pure policy logic, compiled in directly.
#include <catch2/catch.hpp>

#include <fstream>

#include "sm-admin/admin_policy.hpp"
#include "sm-extensions/extensions_policy.hpp"
#include "sm-ids/ids_policy.hpp"
#include "sm-relay/relay_policy.hpp"
#include "sm-version/version_policy.hpp"

using json = nlohmann::json;

namespace {
json manifest(const std::string& id) {
  std::ifstream in(std::string(SMHARDEN_SOURCE_DIR) + "/plugins/" + id + "/manifest.json");
  return json::parse(in);
}
bool has_finding(const std::vector<smharden::finding>& fs, const std::string& id) {
  return std::any_of(fs.begin(), fs.end(), [&](const auto& f) { return f.id == id; });
}
}  // namespace

TEST_CASE("sm-admin: 2FA is reported, not automated; IP rules are enforced safely", "[smartermail][policy]") {
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

TEST_CASE("sm-ids: the guide's brute-force rule, at least as strict", "[smartermail][policy]") {
  const json want = {
      {"type", "password_brute_force_by_ip"}, {"time_frame_minutes", 30}, {"threshold", 5}, {"block_minutes", 1440}};
  json have = {{"type", "password_brute_force_by_ip"},
               {"action", "block"},
               {"time_frame_minutes", 60},
               {"threshold", 3},
               {"block_minutes", 2880}};
  CHECK(smharden::sm_ids::satisfies(have, want, "at_least_as_strict"));
  CHECK_FALSE(smharden::sm_ids::satisfies(have, want, "exact"));
  have["threshold"] = 6;
  CHECK_FALSE(smharden::sm_ids::satisfies(have, want, "at_least_as_strict"));
  have["threshold"] = 5;
  have["action"] = "delay";
  CHECK_FALSE(smharden::sm_ids::satisfies(have, want, "at_least_as_strict"));

  const json current = {{"rules",
                         {{{"id", "1"},
                           {"type", "password_brute_force_by_ip"},
                           {"action", "delay"},
                           {"service", "All"},
                           {"time_frame_minutes", 10},
                           {"threshold", 15},
                           {"block_minutes", 0},
                           {"description", "d"}},
                          {{"id", "2"},
                           {"type", "password_brute_force_by_ip"},
                           {"action", "block"},
                           {"service", "All"},
                           {"time_frame_minutes", 10},
                           {"threshold", 25},
                           {"block_minutes", 30},
                           {"description", "b"}}}}};
  auto p = smharden::sm_ids::make_plan(current, json::object());  // the default is the guide's rule
  REQUIRE(p.findings.size() == 1);
  CHECK(p.findings[0].id == "rule:password_brute_force_by_ip");
  CHECK(p.changed);
  REQUIRE(p.rules.size() == 2);  // edits the blocking rule, adds none
  CHECK(p.rules[1]["id"] == "2");
  CHECK(p.rules[1]["threshold"] == 5);
  CHECK(p.rules[1]["time_frame_minutes"] == 30);
  CHECK(p.rules[1]["block_minutes"] == 1440);
  CHECK(p.rules[0] == current["rules"][0]);  // the delay rule is left alone
  // Applying the plan makes it compliant: re-planning changes nothing.
  CHECK_FALSE(smharden::sm_ids::make_plan({{"rules", p.rules}}, json::object()).changed);

  p = smharden::sm_ids::make_plan({{"rules", json::array()}}, json::object());
  REQUIRE(p.rules.size() == 1);
  CHECK(p.rules[0]["action"] == "block");
  CHECK_FALSE(p.rules[0].contains("id"));
  CHECK(manifest("sm-ids")["params_schema"]["properties"]["rules"]["default"] == smharden::sm_ids::default_rules());
}

TEST_CASE("sm-extensions: ensure and exact modes", "[smartermail][policy]") {
  const json current = {
      {"inbound", {".exe", ".zip"}}, {"outbound", json::array()}, {"upload", {".exe"}}, {"file_system", json::array()}};
  const json params = {{"extensions", {"EXE", "*.aspx", ".ps1"}}};
  auto p = smharden::sm_extensions::make_plan(current, params);
  CHECK(p.findings.size() == 4);
  CHECK(p.lists["inbound"] == json({".exe", ".zip", ".aspx", ".ps1"}));  // ensure keeps .zip
  p = smharden::sm_extensions::make_plan(
      current, {{"extensions", {"EXE", "*.aspx", ".ps1"}}, {"mode", "exact"}, {"lists", {"inbound"}}});
  REQUIRE(p.findings.size() == 1);
  CHECK(p.lists["inbound"] == json({".exe", ".aspx", ".ps1"}));
  CHECK(p.findings[0].desired["extra"] == json({".zip"}));
  const json done = {{"inbound", {".exe", ".aspx", ".ps1"}}};
  CHECK(smharden::sm_extensions::make_plan(done, {{"extensions", {"exe", "aspx", "ps1"}}, {"lists", {"inbound"}}})
            .findings.empty());
  // The manifest's default is the documented baseline list.
  json baseline = smharden::sm_extensions::baseline_extensions();
  CHECK(manifest("sm-extensions")["params_schema"]["properties"]["extensions"]["default"] == baseline);
  for (const char* must : {".aspx", ".ashx", ".asmx", ".asp", ".cshtml", ".config", ".exe", ".dll", ".bat", ".cmd",
                           ".ps1", ".vbs", ".js", ".hta", ".scr", ".msi"}) {
    CHECK(std::find(baseline.begin(), baseline.end(), must) != baseline.end());
  }
}

TEST_CASE("sm-relay: Allow Relay and SMTP auth bypass entries", "[smartermail][policy]") {
  const json relay = {{"allow_relay", "local_domains"}};
  const json white = {{"entries",
                       {{{"ip", "127.0.0.1"}, {"smtp_auth_bypass", true}},
                        {{"ip", "203.0.113.25"}, {"smtp_auth_bypass", true}, {"description", "scanner"}},
                        {{"ip", "192.0.2.0/24"}, {"smtp_auth_bypass", false}}}}};
  auto p = smharden::sm_relay::make_plan(relay, white, {{"allowed_bypass_ips", {"127.0.0.0/8"}}});
  CHECK(p.allow_relay == std::optional<std::string>("nobody"));
  CHECK(has_finding(p.findings, "allow-relay"));
  CHECK(has_finding(p.findings, "smtp-auth-bypass:203.0.113.25"));
  CHECK_FALSE(has_finding(p.findings, "smtp-auth-bypass:127.0.0.1"));
  CHECK(p.bypass_clears.empty());  // removal is opt-in
  p = smharden::sm_relay::make_plan(relay, white,
                                    {{"allowed_bypass_ips", {"127.0.0.0/8"}}, {"remove_unlisted_bypass", true}});
  CHECK(p.bypass_clears == json({{{"ip", "203.0.113.25"}, {"smtp_auth_bypass", false}}}));
  CHECK(smharden::sm_relay::make_plan({{"allow_relay", "nobody"}}, {{"entries", json::array()}}, json::object())
            .findings.empty());
  CHECK(smharden::sm_relay::entry_allowed("10.0.0.0/24", json({"10.0.0.0/8"})));
  CHECK_FALSE(smharden::sm_relay::entry_allowed("10.0.0.0/8", json({"10.0.0.5"})));
}

TEST_CASE("sm-version: builds before the minimum are critical", "[smartermail][policy]") {
  using smharden::sm_version::parse_build;
  CHECK(parse_build("100.0.9511") == std::array<long long, 4>{100, 0, 9511, 0});
  CHECK(parse_build("9504 (Jan 8, 2026)") == std::array<long long, 4>{100, 0, 9504, 0});
  CHECK(parse_build("100.0.8930.39839") == std::array<long long, 4>{100, 0, 8930, 39839});
  CHECK_FALSE(parse_build("unknown"));
  auto f = smharden::sm_version::check({{"build", "100.0.9400"}}, json::object());
  REQUIRE(f.size() == 1);
  CHECK(f[0].severity == "critical");
  CHECK_FALSE(f[0].automated);
  CHECK(f[0].title.find("CVE-2026-23760") != std::string::npos);
  CHECK(smharden::sm_version::check({{"build", "100.0.9511"}}, json::object()).empty());
  CHECK(smharden::sm_version::check({{"build", "100.0.9511.1"}}, json::object()).empty());
  CHECK(smharden::sm_version::check({{"build", "100.0.9600"}}, {{"min_build", "100.0.9700"}}).size() == 1);
  CHECK(smharden::sm_version::check({{"build", "n/a"}}, json::object())[0].id == "unknown-build");
}
