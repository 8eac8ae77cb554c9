// The sm-ids plugin's pure policy logic.
#include <catch2/catch.hpp>

#include "../plugin_manifest.hpp"

#include <fstream>

#include "sm-ids/ids_policy.hpp"

using json = nlohmann::json;

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
  CHECK(smharden::test::plugin_manifest("sm-ids")["params_schema"]["properties"]["rules"]["default"] ==
        smharden::sm_ids::default_rules());
}
