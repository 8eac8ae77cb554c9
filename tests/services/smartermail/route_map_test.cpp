#include <catch2/catch.hpp>

#include "base/errors.hpp"
#include "services/smartermail/route_map.hpp"
#include "services/smartermail/smartermail_service.hpp"

using namespace smharden::services::smartermail;
using smharden::services::target;

TEST_CASE("the built-in route map is complete and says what is verified", "[smartermail][routes]") {
  const route_map map = route_map::embedded();
  const json& doc = map.document();
  for (const char* section : {"routes", "fields", "values"}) {
    REQUIRE(doc[section].is_object());
    for (const auto& [key, entry] : doc[section].items()) {
      INFO(section << "/" << key);
      CHECK(entry["verified"].is_boolean());
      CHECK_FALSE(entry["source"].get<std::string>().empty());
    }
  }
  // What public clients confirm is marked verified; what nobody published is not.
  CHECK(map.get("auth.login").verified);
  CHECK(map.get("ip_access.list").verified);
  CHECK_FALSE(map.get("ids.rules.list").verified);
  CHECK_FALSE(map.get("admins.list").verified);
  CHECK_FALSE(map.get("extensions.get").verified);
  CHECK_FALSE(map.get("relay.get").verified);
  CHECK(map.get("ip_access.list").read);
  CHECK_FALSE(map.get("ip_access.save").read);
  CHECK(map.field("ip_entry.spam_bypass") == "spam_bypass");
}

TEST_CASE("route paths substitute URL-encoded arguments", "[smartermail][routes]") {
  const route_map map = route_map::embedded();
  CHECK(map.url_path(map.get("ip_access.list"), {{"whitelist", "true"}}) == "/api/v1/settings/sysadmin/ip-access/true");
  CHECK(map.url_path(map.get("admin.get"), {{"username", "a b/c"}}) ==
        "/api/v1/settings/sysadmin/system-admin/a%20b%2Fc");
  CHECK_THROWS_AS(map.url_path(map.get("admin.get"), {}), std::logic_error);
}

TEST_CASE("enum values map back to their logical names", "[smartermail][routes]") {
  const route_map map = route_map::embedded();
  CHECK(map.member_for("allow_relay", json(0)) == std::optional<std::string>("nobody"));
  CHECK(map.member_for("ids_rule_type", json("bruteforce")) ==
        std::optional<std::string>("password_brute_force_by_ip"));
  CHECK_FALSE(map.member_for("allow_relay", json(42)).has_value());
}

TEST_CASE("target.json overrides entries without a rebuild", "[smartermail][routes]") {
  target t;
  t.kind = smharden::services::target_kind::lab;
  t.config = {
      {"smartermail",
       {{"routes", {{"ids.rules.list", {{"path", "settings/sysadmin/abuse-detection-rules"}, {"verified", true}}}}},
        {"fields", {{"ids_rule.threshold", {{"name", "failuresBeforeBlock"}}}}},
        {"values", {{"allow_relay.nobody", {{"value", "Nobody"}}}}}}}};
  const route_map map = route_map_for(t);
  const route r = map.get("ids.rules.list");
  CHECK(r.path == "settings/sysadmin/abuse-detection-rules");
  CHECK(r.method == "GET");  // untouched parts stay
  CHECK(r.verified);
  CHECK(r.source.find("override") != std::string::npos);
  CHECK(map.document()["routes"]["ids.rules.list"]["overridden"] == true);
  CHECK(map.field("ids_rule.threshold") == "failuresBeforeBlock");
  CHECK_FALSE(map.document()["fields"]["ids_rule.threshold"]["verified"].get<bool>());
  CHECK(map.value("allow_relay.nobody") == "Nobody");
}

TEST_CASE("bad overrides name the file, the pointer and the fix", "[smartermail][routes]") {
  target t;
  t.kind = smharden::services::target_kind::lab;
  t.root = "/labs/one";
  t.config = {{"smartermail", {{"routes", {{"ids.rule.list", {{"path", "x"}}}}}}}};
  try {
    route_map_for(t);
    FAIL("expected a profile_error");
  } catch (const smharden::core::profile_error& e) {
    const std::string m = e.what();
    CHECK(m.find("/labs/one/target.json") != std::string::npos);
    CHECK(m.find("/smartermail/routes/ids.rule.list") != std::string::npos);
    CHECK(m.find("ids.rules.list") != std::string::npos);  // lists the known keys
  }
  t.config = {{"smartermail", {{"routes", {{"ids.rules.list", {{"method", "PUT"}}}}}}}};
  CHECK_THROWS_WITH(route_map_for(t), Catch::Contains("method") && Catch::Contains("GET"));
  t.config = {{"smartermail", {{"fields", {{"ids_rule.threshold", {{"name", ""}}}}}}}};
  CHECK_THROWS_AS(route_map_for(t), smharden::core::profile_error);
}
