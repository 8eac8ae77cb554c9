// sm-relay's layer for the host's access guard: who may relay without SMTP
// authentication before and after the plan (surface smtp_relay).
#include <catch2/catch.hpp>

#include "sm-relay/relay_access.hpp"
#include "sm-relay/relay_policy.hpp"

using json = nlohmann::json;
namespace relay = smharden::sm_relay;

namespace {

json whitelist_entry(const std::string& ip, bool bypass, json services = json::array({"smtp", "imap"})) {
  return {{"ip", ip}, {"description", "d"}, {"services", std::move(services)}, {"smtp_auth_bypass", bypass}};
}

}  // namespace

TEST_CASE("sm-relay access: nobody lets only SMTP entries with SMTP Auth Bypass relay", "[smartermail][policy]") {
  const json entries = {whitelist_entry("127.0.0.1", true), whitelist_entry("192.0.2.9", false),
                        whitelist_entry("203.0.113.0/24", true),
                        whitelist_entry("198.51.100.3", true, json::array({"imap"}))};
  CHECK(relay::relay_reach_policy("nobody", entries) ==
        json({{"allow", {"127.0.0.1", "203.0.113.0/24"}}, {"default", "deny"}}));
  CHECK(relay::relay_reach_policy("anyone", entries) == json({{"default", "allow"}}));
  CHECK(relay::relay_reach_policy("local_domains", entries).contains("unknown"));
  CHECK(relay::relay_reach_policy("nobody", json::array({whitelist_entry("mail.example.net", true)}))
            .contains("unknown"));
}

TEST_CASE("sm-relay access: closing the relay keeps the relay apps, whose entries come first",
          "[smartermail][policy]") {
  const json relay_now = {{"allow_relay", "anyone"}};
  const json white = {
      {"entries", {whitelist_entry("127.0.0.1", true), whitelist_entry("198.51.100.10", false, json::array({"pop"}))}}};
  const json apps = {{{"address", "198.51.100.10"}, {"name", "CRM"}}, {{"address", "198.51.100.11"}}};
  const auto p = relay::make_plan(relay_now, white, json::object(), apps);
  const json request = relay::access_request(relay_now, white, p);
  CHECK(request["step"] == "sm-relay");
  const json& surface = request["surfaces"]["smtp_relay"];
  CHECK(surface["before"] == json({{"default", "allow"}}));
  CHECK(surface["after"]["default"] == "deny");
  // The existing entry gains SMTP and the bypass; the second app gets a new entry.
  CHECK(surface["after"]["allow"] == json({"127.0.0.1", "198.51.100.10", "198.51.100.11"}));
}

TEST_CASE("sm-relay access: remove_unlisted_bypass takes relaying from an undeclared entry", "[smartermail][policy]") {
  const json relay_now = {{"allow_relay", "nobody"}};
  const json white = {{"entries", {whitelist_entry("127.0.0.1", true), whitelist_entry("203.0.113.25", true)}}};
  const auto p =
      relay::make_plan(relay_now, white, {{"allowed_bypass_ips", {"127.0.0.1"}}, {"remove_unlisted_bypass", true}});
  const json surface = relay::access_request(relay_now, white, p)["surfaces"]["smtp_relay"];
  CHECK(surface["before"]["allow"] == json({"127.0.0.1", "203.0.113.25"}));
  CHECK(surface["after"]["allow"] == json({"127.0.0.1"}));
}
