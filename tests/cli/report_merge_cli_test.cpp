// `smharden report merge`: the reports of real check runs merged into one fleet report, and input
// that is not a run report refused naming the file and the JSON pointer.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_lab.hpp"

namespace {

const char* profile(bool compliant) {
  return compliant ? R"({"name": "fleet", "steps": {"tp-alpha": {"params": {"static": true}}}})"
                   : R"({"name": "fleet", "steps": {"tp-alpha": {"params": {"static": true, "compliant": false}}}})";
}

nlohmann::json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("cli: report merge writes one fleet report from the run reports of several hosts", "[cli][fleet]") {
  smharden::test::cli_lab home{"smharden-merge", TEST_PLUGIN_DIR};
  const auto reports = home.root() / "reports";
  std::filesystem::create_directories(reports);
  const auto ok = home.write("ok.json", profile(true)).string();
  const auto drift = home.write("drift.json", profile(false)).string();
  REQUIRE(home.cli()
              .run({"check", "--profile", ok, "--target", home.target(), "--report", (reports / "web01.json").string()})
              .exit_code == 0);
  REQUIRE(
      home.cli()
          .run({"check", "--profile", drift, "--target", home.target(), "--report", (reports / "web02.json").string()})
          .exit_code == 3);

  const auto out = home.root() / "fleet.json";
  const auto txt = home.root() / "fleet.txt";
  const auto xml = home.root() / "fleet.xml";
  const auto html = home.root() / "fleet.html";
  const auto merged =
      home.cli().run({"report", "merge", (reports / "web01.json").string(), (reports / "web02.json").string(),
                      "--report", out.string(), "--report", txt.string(), "--report", xml.string(), "--report",
                      html.string(), "--format", "json"});
  INFO(merged.err);
  REQUIRE(merged.exit_code == 0);
  const auto fleet = read_json(out);
  CHECK(merged.out_json()["hosts"] == fleet["hosts"]);
  CHECK(fleet["kind"] == "fleet");
  CHECK(fleet["schema"] == "smharden.fleet-report/1");
  REQUIRE(fleet["hosts"].size() == 2);
  CHECK(fleet["hosts"][0]["host"] == "web01");
  CHECK(fleet["hosts"][0]["status"] == "compliant");
  CHECK(fleet["hosts"][1]["host"] == "web02");
  CHECK(fleet["hosts"][1]["status"] == "drift");
  CHECK(fleet["hosts"][1]["report"] == read_json(reports / "web02.json"));
  CHECK(fleet["summary"]["hosts_by_status"]["compliant"] == 1);
  CHECK(fleet["summary"]["hosts_by_status"]["drift"] == 1);
  CHECK(fleet["summary"]["by_step"][0]["id"] == "tp-alpha");
  CHECK(fleet["summary"]["by_step"][0]["hosts"]["drift"] == nlohmann::json({"web02"}));
  std::ifstream text_in(txt);
  const std::string text((std::istreambuf_iterator<char>(text_in)), std::istreambuf_iterator<char>());
  CHECK_THAT(text, Catch::Contains("2 host(s): 1 drift, 1 compliant"));
  std::ifstream xml_in(xml);
  const std::string junit((std::istreambuf_iterator<char>(xml_in)), std::istreambuf_iterator<char>());
  CHECK_THAT(junit, Catch::Contains("<testsuite name=\"web01: smharden check fleet\"") &&
                        Catch::Contains("<testsuite name=\"web02: smharden check fleet\""));
  std::ifstream html_in(html);
  const std::string page((std::istreambuf_iterator<char>(html_in)), std::istreambuf_iterator<char>());
  CHECK_THAT(page, Catch::Contains("<tr class=\"host status-compliant\" data-host=\"web01\"") &&
                       Catch::Contains("<tr class=\"host status-drift\" data-host=\"web02\"") &&
                       Catch::Contains("<tr class=\"fleet-step\" data-step=\"tp-alpha\""));
}

TEST_CASE("cli: report merge refuses what is not a run report, naming the file and the place", "[cli][fleet]") {
  smharden::test::cli_lab home{"smharden-merge-bad", TEST_PLUGIN_DIR, /*init=*/false};
  const auto bad_status =
      home.write("host1.json", R"({"schema": "smharden.report/1", "steps": [{"id": "a", "status": "compliant"},
                                                                  {"id": "b", "status": "great"}]})");
  auto r = home.cli().run({"report", "merge", bad_status.string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains(bad_status.string() + ": /steps/1/status: expected one of") &&
                        Catch::Contains("found \"great\""));

  const auto broken = home.write("host2.json", "{\"schema\": \"smharden.report/1\",\n \"steps\": [}");
  r = home.cli().run({"report", "merge", broken.string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains(broken.string() + ": line 2"));

  r = home.cli().run({"report", "merge", (home.root() / "missing.json").string()});
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.err, Catch::Contains("missing.json: expected a readable smharden JSON report file"));

  // An output format a fleet report has no writer for is refused before anything is read or written.
  const auto sarif = home.root() / "fleet.sarif";
  r = home.cli().run({"report", "merge", bad_status.string(), "--report", sarif.string()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("fleet.sarif: a fleet report is written as .json, .html, .xml (JUnit) or .txt"));
  CHECK_FALSE(std::filesystem::exists(sarif));

  CHECK(home.cli().run({"report", "merge"}).exit_code == 2);
}
