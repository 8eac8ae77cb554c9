// The CLI as scripts and Ansible see it: exit codes, JSON report, errors.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_lab.hpp"
#include "lab_files.hpp"

using smharden::test::cli_result;

namespace {

/// The CLI with the test plugins, a state folder and a lab made on first use.
struct cli_fixture {
  smharden::test::cli_lab home{"smharden-cli", TEST_PLUGIN_DIR, /*init=*/false};

  cli_result smharden(const std::vector<std::string>& args, const std::string& stdin_text = {}) const {
    return stdin_text.empty() ? home.cli().run(args) : home.cli().run_with_stdin(args, stdin_text);
  }
  std::string write(const std::string& name, const std::string& text) const { return home.write(name, text).string(); }
  std::string lab() const { return home.ensure_lab(); }
};

const char* static_profile(bool compliant) {
  return compliant ? R"({"name": "cli", "steps": {"tp-alpha": {"params": {"static": true}}}})"
                   : R"({"name": "cli", "steps": {"tp-alpha": {"params": {"static": true, "compliant": false}}}})";
}

}  // namespace

TEST_CASE("cli: --version and usage errors", "[cli]") {
  cli_fixture f;
  const auto v = f.smharden({"--version"});
  CHECK(v.exit_code == 0);
  CHECK_THAT(v.out, Catch::StartsWith("smharden "));
  CHECK(f.smharden({"no-such-command"}).exit_code == 2);
  CHECK(f.smharden({"check"}).exit_code == 2);  // --profile is required
}

TEST_CASE("cli: list shows plugins", "[cli]") {
  cli_fixture f;
  const auto r = f.smharden({"list", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  bool alpha = false;
  for (const auto& p : j["plugins"]) alpha = alpha || p["id"] == "tp-alpha";
  CHECK(alpha);
  const auto refused = f.smharden({"--plugin-dir", REFUSED_DIR, "list"});
  CHECK(refused.exit_code == 0);
  CHECK_THAT(refused.out, Catch::Contains("refused") && Catch::Contains("duplicate plugin id \"tp-alpha\""));
}

TEST_CASE("cli: list refuses a plugin table whose reserved0 is not zero, naming the file", "[cli]") {
  cli_fixture f;
  const std::string module = (std::filesystem::path(REFUSED_DIR) / "reserved_nonzero.so").string();
  const auto text = f.smharden({"--plugin-dir", REFUSED_DIR, "list"});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("refused " + module + ": plugin table has reserved0 = 7; ABI 1 requires 0"));

  const auto r = f.smharden({"--plugin-dir", REFUSED_DIR, "list", "--format", "json"});
  REQUIRE(r.exit_code == 0);
  const auto j = nlohmann::json::parse(r.out);
  bool found = false;
  for (const auto& refusal : j["refused"]) {
    if (refusal["file"] != module) continue;
    found = true;
    CHECK_THAT(refusal["reason"].get<std::string>(), Catch::Contains("reserved0 = 7"));
  }
  CHECK(found);
  for (const auto& p : j["plugins"]) CHECK(p["id"] != "refused-module");
}

TEST_CASE("cli: check exit codes and the JSON report", "[cli]") {
  cli_fixture f;
  const auto target = f.lab();
  const auto ok = f.smharden(
      {"check", "--profile", f.write("ok.json", static_profile(true)), "--target", target, "--format", "json"});
  CHECK(ok.exit_code == 0);
  const auto report = nlohmann::json::parse(ok.out);
  CHECK(report["schema"] == "smharden.report/1");
  CHECK(report["mode"] == "check");
  CHECK(report["exit_code"] == 0);
  CHECK(report["summary"]["compliant"] == 1);
  CHECK(report["target"] == target);
  REQUIRE(report["steps"].size() == 1);
  CHECK(report["steps"][0]["id"] == "tp-alpha");
  CHECK(report["steps"][0]["plugin_version"] == "1.2.0");
  CHECK(report["steps"][0]["status"] == "compliant");
  for (const char* key : {"run_id", "started_at", "finished_at", "profile"}) CHECK(report.contains(key));

  const auto junit = (f.home.root() / "junit.xml").string();
  const auto drift = f.smharden(
      {"check", "--profile", f.write("drift.json", static_profile(false)), "--target", target, "--report", junit});
  CHECK(drift.exit_code == 3);
  CHECK_THAT(drift.out, Catch::Contains("drift") && Catch::Contains("the static test setting is off") &&
                            Catch::Contains("current: false") && Catch::Contains("desired: true"));
  CHECK_THAT(smharden::test::slurp(junit), Catch::Contains("<failure") && Catch::Contains("tp-alpha"));
}

TEST_CASE("cli: profile and graph errors exit 2 before anything runs", "[cli]") {
  cli_fixture f;
  const auto target = f.lab();
  const auto cycle =
      f.smharden({"check", "--profile", f.write("cycle.json", R"({"steps": {"tp-cycle-x": {}, "tp-cycle-y": {}}})"),
                  "--target", target});
  CHECK(cycle.exit_code == 2);
  CHECK_THAT(cycle.err, Catch::Contains("tp-cycle-x -> tp-cycle-y -> tp-cycle-x"));

  const auto missing = f.smharden({"validate", f.write("missing.json", R"({"steps": {"tp-wants-missing": {}}})")});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("tp-wants-missing") && Catch::Contains("tp-nowhere"));

  const auto params_file = f.write("params.json", R"({"steps": {"tp-alpha": {"params": {"want": 5}}}})");
  const auto params = f.smharden({"check", "--profile", params_file, "--target", target});
  CHECK(params.exit_code == 2);
  CHECK_THAT(params.err, Catch::Contains(params_file) && Catch::Contains("/steps/tp-alpha/params/want"));

  const auto unknown = f.smharden({"validate", f.write("unknown.json", R"({"steps": {"tp-nope": {}}})")});
  CHECK(unknown.exit_code == 2);
  CHECK_THAT(unknown.err, Catch::Contains("tp-nope"));

  const auto ok = f.smharden({"validate", f.write("valid.json", static_profile(true))});
  CHECK(ok.exit_code == 0);
}

TEST_CASE("cli: apply needs --yes when not on a terminal", "[cli]") {
  cli_fixture f;
  const auto r = f.smharden({"apply", "--profile", f.write("p.json", static_profile(true)), "--target", f.lab()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--yes"));
}

TEST_CASE("cli: a missing lab is a usage error naming lab init", "[cli]") {
  cli_fixture f;
  const auto r = f.smharden({"check", "--profile", f.write("p.json", static_profile(true)), "--target",
                             "lab:" + (f.home.root() / "nolab").string()});
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("smharden lab init"));
}

TEST_CASE("cli: graph prints DOT and Mermaid", "[cli]") {
  cli_fixture f;
  const auto p = f.write("g.json", R"({"steps": {"tp-gamma": {}, "tp-beta": {}, "tp-alpha": {}}})");
  const auto dot = f.smharden({"graph", "--profile", p});
  CHECK(dot.exit_code == 0);
  CHECK_THAT(dot.out, Catch::Contains("digraph") && Catch::Contains("tp-alpha") && Catch::Contains("->"));
  const auto mermaid = f.smharden({"graph", "--profile", p, "--format", "mermaid"});
  CHECK(mermaid.exit_code == 0);
  CHECK_THAT(mermaid.out, Catch::StartsWith("flowchart") && Catch::Contains("tp-beta") && Catch::Contains("-->"));
}
