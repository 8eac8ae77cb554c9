// The sm-relay plugin's pure policy logic.
#include <catch2/catch.hpp>

#include "../finding_lookup.hpp"

#include "sm-relay/relay_policy.hpp"

using json = nlohmann::json;

using smharden::test::has_finding;

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
  CHECK(p.whitelist_upserts.empty());  // removal is opt-in
  p = smharden::sm_relay::make_plan(relay, white,
                                    {{"allowed_bypass_ips", {"127.0.0.0/8"}}, {"remove_unlisted_bypass", true}});
  CHECK(p.whitelist_upserts == json({{{"ip", "203.0.113.25"}, {"smtp_auth_bypass", false}}}));
  CHECK(smharden::sm_relay::make_plan({{"allow_relay", "nobody"}}, {{"entries", json::array()}}, json::object())
            .findings.empty());
  CHECK(smharden::sm_relay::entry_allowed("10.0.0.0/24", json({"10.0.0.0/8"})));
  CHECK_FALSE(smharden::sm_relay::entry_allowed("10.0.0.0/8", json({"10.0.0.5"})));
}
