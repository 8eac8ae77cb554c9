// sm-relay: relay apps get a whitelist entry with SMTP Auth Bypass, and a
// closed relay with other bypass entries left open is a warning finding.
#include <catch2/catch.hpp>

#include "../finding_lookup.hpp"

#include "sm-common/audiences.hpp"
#include "sm-relay/relay_policy.hpp"

using json = nlohmann::json;

using smharden::test::find;

namespace {

json entry(const std::string& ip, bool bypass, json services = json::array({"smtp", "pop", "imap", "xmpp"})) {
  return {{"ip", ip}, {"description", "d"}, {"services", std::move(services)}, {"smtp_auth_bypass", bypass}};
}

}  // namespace

TEST_CASE("sm-relay: a relay app without an entry gets one with SMTP Auth Bypass on SMTP", "[smartermail][policy]") {
  const json relay = {{"allow_relay", "nobody"}};
  const json white = {{"entries", {entry("127.0.0.1", false)}}};
  const json apps = {{{"address", "198.51.100.10"}, {"name", "CRM"}}};
  const auto p = smharden::sm_relay::make_plan(relay, white, json::object(), apps);
  const auto* f = find(p.findings, "relay-app:198.51.100.10");
  REQUIRE(f != nullptr);
  CHECK(f->automated);
  CHECK(f->title.find("CRM") != std::string::npos);
  REQUIRE(p.whitelist_upserts.size() == 1);
  CHECK(p.whitelist_upserts[0] == json({{"ip", "198.51.100.10"},
                                        {"description", "smharden relay app: CRM"},
                                        {"services", {"smtp"}},
                                        {"smtp_auth_bypass", true}}));
  REQUIRE(p.changes.size() == 1);
  CHECK(p.changes[0].id == "relay-app:198.51.100.10");
}

TEST_CASE("sm-relay: an existing entry for the app keeps its fields and gains the bypass", "[smartermail][policy]") {
  const json white = {{"entries", {entry("198.51.100.10/32", false, json::array({"pop"}))}}};
  const json apps = {{{"address", "198.51.100.10"}, {"name", ""}}};
  const auto p = smharden::sm_relay::make_plan({{"allow_relay", "nobody"}}, white, json::object(), apps);
  REQUIRE(p.whitelist_upserts.size() == 1);
  CHECK(p.whitelist_upserts[0] ==
        json({{"ip", "198.51.100.10/32"}, {"services", {"pop", "smtp"}}, {"smtp_auth_bypass", true}}));
}

TEST_CASE("sm-relay: an app covered by a bypass entry complies and is not reported as unlisted",
          "[smartermail][policy]") {
  const json white = {{"entries", {entry("198.51.100.10", true)}}};
  const json apps = {{{"address", "198.51.100.10"}, {"name", "CRM"}}};
  const auto p = smharden::sm_relay::make_plan({{"allow_relay", "nobody"}}, white, json::object(), apps);
  CHECK(p.findings.empty());
  CHECK(p.whitelist_upserts.empty());
  // A bypass entry without SMTP does not let the app relay.
  const json no_smtp = {{"entries", {entry("198.51.100.10", true, json::array({"imap"}))}}};
  CHECK(find(smharden::sm_relay::make_plan({{"allow_relay", "nobody"}}, no_smtp, json::object(), apps).findings,
             "relay-app:198.51.100.10") != nullptr);
}

TEST_CASE("sm-relay: an app address that does not parse is a manual finding", "[smartermail][policy]") {
  const json apps = {{{"address", "crm.example"}, {"name", "CRM"}}};
  const auto p =
      smharden::sm_relay::make_plan({{"allow_relay", "nobody"}}, {{"entries", json::array()}}, json::object(), apps);
  const auto* f = find(p.findings, "relay-app-invalid:crm.example");
  REQUIRE(f != nullptr);
  CHECK_FALSE(f->automated);
  CHECK(p.whitelist_upserts.empty());
}

TEST_CASE("sm-relay: closing the relay with unlisted bypass entries is a warning finding", "[smartermail][policy]") {
  const json white = {{"entries", {entry("203.0.113.25", true), entry("198.51.100.10", true)}}};
  const json apps = {{{"address", "198.51.100.10"}, {"name", "CRM"}}};
  auto p = smharden::sm_relay::make_plan({{"allow_relay", "local_domains"}}, white, json::object(), apps);
  const auto* warning = find(p.findings, "relay-closed-bypass-open");
  REQUIRE(warning != nullptr);
  CHECK_FALSE(warning->automated);
  CHECK(warning->current == json({"203.0.113.25"}));
  CHECK(find(p.findings, "smtp-auth-bypass:198.51.100.10") == nullptr);
  // Relay left open on purpose: no warning about a closed relay.
  p = smharden::sm_relay::make_plan({{"allow_relay", "anyone"}}, white, {{"allow_relay", "anyone"}}, apps);
  CHECK(find(p.findings, "relay-closed-bypass-open") == nullptr);
  // Clearing the bypass is planned: the warning gives way to the automated change.
  p = smharden::sm_relay::make_plan({{"allow_relay", "nobody"}}, white, {{"remove_unlisted_bypass", true}}, apps);
  CHECK(find(p.findings, "relay-closed-bypass-open") == nullptr);
  CHECK(find(p.findings, "smtp-auth-bypass:203.0.113.25")->automated);
}

TEST_CASE("sm-common: audiences merge the host's answer with the fallbacks", "[smartermail][policy]") {
  using smharden::sm_common::merge_audiences;
  // A host without guard.access.audiences: management_cidrs and the step's relay_apps.
  json a = merge_audiences(nullptr, json({"203.0.113.0/24"}), {{"relay_apps", {{{"address", "198.51.100.10"}}}}});
  CHECK(a["management"] == json({"203.0.113.0/24"}));
  CHECK(a["relay_apps"] == json({{{"address", "198.51.100.10"}, {"name", ""}}}));
  CHECK(a["webmail_users"] == json::array());
  // The host's audiences, with the step's relay apps added once.
  const json host = {{"management", {"203.0.113.0/24", "192.0.2.1"}},
                     {"webmail_users", {"0.0.0.0/0"}},
                     {"mail_clients", json::array()},
                     {"relay_apps", {{{"address", "198.51.100.10"}, {"name", "CRM"}}}}};
  a = merge_audiences(host, json({"203.0.113.0/24"}),
                      {{"relay_apps", {{{"address", "198.51.100.10"}}, {{"address", "198.51.100.11"}}}}});
  CHECK(a["management"] == json({"203.0.113.0/24", "192.0.2.1"}));
  CHECK(a["relay_apps"] ==
        json({{{"address", "198.51.100.10"}, {"name", "CRM"}}, {{"address", "198.51.100.11"}, {"name", ""}}}));
}
