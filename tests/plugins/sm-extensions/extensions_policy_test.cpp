// The sm-extensions plugin's pure policy logic.
#include <catch2/catch.hpp>

#include "../plugin_manifest.hpp"

#include <fstream>

#include "sm-extensions/extensions_policy.hpp"

using json = nlohmann::json;

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
  CHECK(smharden::test::plugin_manifest("sm-extensions")["params_schema"]["properties"]["extensions"]["default"] ==
        baseline);
  for (const char* must : {".aspx", ".ashx", ".asmx", ".asp", ".cshtml", ".config", ".exe", ".dll", ".bat", ".cmd",
                           ".ps1", ".vbs", ".js", ".hta", ".scr", ".msi"}) {
    CHECK(std::find(baseline.begin(), baseline.end(), must) != baseline.end());
  }
}
