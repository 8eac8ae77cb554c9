// A third party's response-header plugin (tests/fixtures/plugins/iis_headers)
// that reaches IIS only through iis.headers.* and iis.hsts.*: check finds
// X-Powered-By and no HSTS on a fresh lab, apply fixes both through the
// journal, and rollback puts every lab file back byte for byte.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "cli_lab.hpp"
#include "lab_files.hpp"

using smharden::test::cli_result;
using smharden::test::step_of;

namespace {

std::set<std::string> finding_ids(const nlohmann::json& report) {
  std::set<std::string> ids;
  for (const auto& f : step_of(report, "tp-iis-headers")["findings"]) ids.insert(f["id"].get<std::string>());
  return ids;
}

}  // namespace

TEST_CASE("a header plugin without OS access: applied and rolled back on a lab", "[iis][headers][plugin]") {
  const smharden::test::cli_lab home{"smharden-headers", HEADER_PLUGIN_DIR};
  const auto profile = home.write("headers.json", R"({"name": "headers", "steps": {"tp-iis-headers": {
      "params": {"set_headers": {"X-Frame-Options": "SAMEORIGIN"}, "hsts": {"max_age": 63072000}}}}})")
                           .string();
  const auto original = smharden::test::lab_hashes(home.lab());
  const auto& cli = home.cli();

  const cli_result before = cli.run({"check", "--profile", profile, "--target", home.target(), "--format", "json"});
  INFO(before.out << before.err);
  REQUIRE(before.exit_code == 3);
  CHECK(finding_ids(before.out_json()) ==
        std::set<std::string>{"header-X-Frame-Options", "header-sent-X-Powered-By", "hsts"});
  CHECK(step_of(before.out_json(), "tp-iis-headers").value("os_access", false) == false);

  const cli_result apply =
      cli.run({"apply", "--profile", profile, "--target", home.target(), "--yes", "--format", "json"});
  INFO(apply.out << apply.err);
  REQUIRE(apply.exit_code == 0);
  CHECK(step_of(apply.out_json(), "tp-iis-headers")["changes"].size() == 3);
  const std::string config = smharden::test::slurp(home.lab() / "iis" / "applicationHost.config");
  CHECK_THAT(config, Catch::Contains("<remove name=\"X-Powered-By\" />") &&
                         Catch::Contains("<add name=\"X-Frame-Options\" value=\"SAMEORIGIN\" />") &&
                         Catch::Contains(R"(<hsts enabled="true" max-age="63072000" includeSubDomains="true" />)"));
  // The nested defaults of the plugin's schema (hsts.enabled, hsts.include_subdomains) were filled.
  const cli_result after = cli.run({"check", "--profile", profile, "--target", home.target(), "--format", "json"});
  CHECK(after.exit_code == 0);

  const cli_result rollback = cli.run({"rollback", "--last"});
  INFO(rollback.out << rollback.err);
  REQUIRE(rollback.exit_code == 0);
  CHECK(smharden::test::lab_hashes(home.lab()) == original);
  std::size_t temp_files = 0;
  CHECK(smharden::test::unparseable_files(home.lab(), &temp_files).empty());
  CHECK(temp_files == 0);
}
