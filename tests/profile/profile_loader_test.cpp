#include <catch2/catch.hpp>

#include "profile/profile.hpp"
#include "profile_fixtures.hpp"

using namespace smharden::core;
using smharden::test::fixture;
using smharden::test::fixtures;

TEST_CASE("an extends chain of three files loads base first", "[profile]") {
  profile p = load_profile(fixtures / "chain/customers/acme.json");
  REQUIRE(p.chain.size() == 3);
  CHECK(p.chain[0].filename() == "base.json");
  CHECK(p.chain[1].filename() == "mid.json");
  CHECK(p.chain[2].filename() == "acme.json");
  CHECK(p.chain[0].is_absolute());
  CHECK(p.name == "acme");
  CHECK(p.description.empty());  // descriptions are not inherited
}

TEST_CASE("name defaults to the file stem", "[profile]") {
  CHECK(load_profile(fixtures / "chain/mid.json").name == "mid");
  CHECK(load_profile(fixtures / "chain/base.json").name == "base");
}

TEST_CASE("vars merge along the chain, leaf wins, and apply to the base's params", "[profile]") {
  profile p = load_profile(fixtures / "chain/customers/acme.json");
  CHECK(p.vars["service_user"] == "mail-svc");  // mid overrides base
  CHECK(p.vars["port"] == 10443);               // leaf overrides base
  CHECK(p.vars["admins"] == ordered_json::array({"admin", "postmaster"}));

  const step_config* accounts = p.find_step("accounts");
  REQUIRE(accounts);
  // A string that is exactly ${x} takes the var's value; embedded references interpolate.
  CHECK(accounts->params["user"] == "mail-svc");
  CHECK(accounts->params["description"] == "SmarterMail service account (mail-svc)");

  const step_config* bindings = p.find_step("iis-bindings");
  REQUIRE(bindings);
  CHECK(bindings->params["port"].is_number_integer());  // typed substitution keeps the JSON type
  CHECK(bindings->params["port"] == 10443);

  const step_config* admin = p.find_step("sm-admin");
  REQUIRE(admin);
  CHECK(admin->params["admins"] == ordered_json::array({"admin", "postmaster"}));
  CHECK(admin->params["literal"] == "${not_a_var}");  // $${ escapes
}

TEST_CASE("steps deep-merge: objects key by key, arrays replace, scalars override", "[profile]") {
  profile p = load_profile(fixtures / "chain/customers/acme.json");
  const step_config* accounts = p.find_step("accounts");
  REQUIRE(accounts);
  CHECK(accounts->params["options"] ==
        ordered_json::parse(R"({"never_expires": false, "groups": ["Users", "Remote Desktop Users"]})"));
  CHECK(accounts->severity == "critical");
  CHECK(accounts->enabled);

  const step_config* bindings = p.find_step("iis-bindings");
  REQUIRE(bindings);
  CHECK_FALSE(bindings->enabled);
  CHECK(bindings->severity == "high");  // set in base, kept
  CHECK(bindings->params["hosts"] == ordered_json::array({"mail.acme.example"}));
}

TEST_CASE("steps keep the position of their first appearance, base first", "[profile]") {
  profile p = load_profile(fixtures / "chain/customers/acme.json");
  std::vector<std::string> ids;
  for (const auto& s : p.steps) ids.push_back(s.id);
  CHECK(ids == std::vector<std::string>{"accounts", "iis-bindings", "sm-admin", "rights", "sm-relay"});
  for (std::size_t i = 0; i < p.steps.size(); ++i) CHECK(p.steps[i].order == i);
  // Object key order inside params is kept as written.
  std::vector<std::string> keys;
  for (const auto& [k, v] : p.find_step("accounts")->params.items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"user", "description", "options"});
}

TEST_CASE("each step and param remembers the file that set it", "[profile]") {
  profile p = load_profile(fixtures / "chain/customers/acme.json");
  const step_config* accounts = p.find_step("accounts");
  CHECK(accounts->file == fixture("chain/customers/acme.json"));
  CHECK(accounts->pointer == "/steps/accounts");
  CHECK(accounts->param_files.at("user") == fixture("chain/base.json"));
  CHECK(accounts->param_files.at("options") == fixture("chain/customers/acme.json"));
  CHECK(p.find_step("rights")->file == fixture("chain/mid.json"));
  CHECK(p.find_step("sm-admin")->file == fixture("chain/base.json"));
}

TEST_CASE("management_cidrs: the leaf replaces the base when it gives them", "[profile]") {
  CHECK(load_profile(fixtures / "chain/customers/acme.json").management_cidrs ==
        std::vector<std::string>{"198.51.100.7", "2001:db8::/48"});
  CHECK(load_profile(fixtures / "chain/mid.json").management_cidrs == std::vector<std::string>{"203.0.113.0/24"});
}

TEST_CASE("health passes through, merged along the chain", "[profile]") {
  CHECK(load_profile(fixtures / "chain/customers/acme.json").health ==
        ordered_json::parse(R"({"url": "https://localhost:9998/", "timeout_ms": 9000})"));
}

TEST_CASE("waivers are concatenated along the chain", "[profile]") {
  profile p = load_profile(fixtures / "chain/customers/acme.json");
  REQUIRE(p.waivers.size() == 2);
  CHECK(p.waivers[0].step == "sm-admin");
  CHECK_FALSE(p.waivers[0].finding);
  CHECK(p.waivers[0].reason == "2FA rollout pending");
  CHECK(p.waivers[0].expires == "2026-12-31");
  CHECK(p.waivers[0].file == fixture("chain/base.json"));
  CHECK(p.waivers[0].pointer == "/waivers/0");
  CHECK(p.waivers[1].step == "iis-bindings");
  CHECK(p.waivers[1].finding == "catch-all-binding");
  CHECK(p.waivers[1].file == fixture("chain/mid.json"));
  CHECK(p.waivers[1].pointer == "/waivers/0");
}

TEST_CASE("a waiver applies through its expiry day and stops the day after", "[profile]") {
  waiver w;
  w.expires = "2026-12-31";
  CHECK(w.active_on("2026-01-01"));
  CHECK(w.active_on("2026-12-30"));
  CHECK(w.active_on("2026-12-31"));
  CHECK_FALSE(w.active_on("2027-01-01"));
  CHECK_FALSE(w.active_on("2030-06-15"));
}

TEST_CASE("calendar dates are checked for real", "[profile]") {
  CHECK(valid_iso_date("2024-02-29"));
  CHECK(valid_iso_date("2000-02-29"));
  CHECK_FALSE(valid_iso_date("2100-02-29"));
  CHECK_FALSE(valid_iso_date("2026-02-29"));
  CHECK_FALSE(valid_iso_date("2026-04-31"));
  CHECK_FALSE(valid_iso_date("2026-13-01"));
  CHECK_FALSE(valid_iso_date("2026-00-10"));
  CHECK_FALSE(valid_iso_date("2026-1-10"));
  CHECK_FALSE(valid_iso_date("2026/01/10"));
  CHECK_FALSE(valid_iso_date("2026-01-10T00:00"));
  CHECK(valid_iso_date(utc_today()));
}
