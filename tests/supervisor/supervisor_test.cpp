// A plugin that exits, crashes, aborts or hangs in check or apply ends the
// run with exit 4 and a report naming the step (and, for apply, the
// automatic rollback); step timeouts from the manifest and the profile; a
// plugin printing on stdout does not corrupt --format json.
#include "supervised_lab.hpp"

using smharden::test::cli_result;
using smharden::test::step_of;
using supervisor_test::json;
using supervisor_test::misbehaving;
using supervisor_test::supervised_lab;

namespace {

const std::vector<std::string> failures = {"exit0", "segv", "abort", "hang"};

/// "hang" needs a short timeout to end; the others end by themselves (the timeout must not be what ends them).
std::optional<int> timeout_for(const std::string& kind) { return kind == "hang" ? 1 : 300; }

/// What the worker's end says for each failure kind.
std::string expected_what(const std::string& kind) {
  if (kind == "exit0") return "exited with status 0";
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer catches the SIGSEGV, reports it and aborts (abort_on_error=1 in the asan preset).
  if (kind == "segv") return "SIGABRT";
#else
  if (kind == "segv") return "SIGSEGV";
#endif
  if (kind == "abort") return "SIGABRT";
  return "did not return within its timeout of 1 s";
}

}  // namespace

TEST_CASE("a plugin that exits, crashes, aborts or hangs during check: exit 4 and a report naming the step") {
  for (const auto& kind : failures) {
    DYNAMIC_SECTION(kind) {
      supervised_lab t(misbehaving(kind, "none", timeout_for(kind)));
      const cli_result r = t.check();
      INFO(r.out << r.err);
      CHECK(r.signal == 0);
      REQUIRE(r.exit_code == 4);
      const json report = r.out_json();
      const json& step = step_of(report, "supervisor-misbehave");
      CHECK(step["status"] == "error");
      CHECK_THAT(step["reason"].get<std::string>(), Catch::Contains(expected_what(kind)));
      CHECK_THAT(step["reason"].get<std::string>(), Catch::Contains("check of step supervisor-misbehave"));
      CHECK(report["worker"]["step"] == "supervisor-misbehave");
      CHECK(report["worker"]["phase"] == "check");
      CHECK(report["exit_code"] == 4);
      CHECK_THAT(r.err, Catch::Contains("supervisor-misbehave"));
      CHECK(t.restored());
    }
  }
}

TEST_CASE("a plugin that exits, crashes, aborts or hangs during apply: exit 4, rolled back automatically") {
  for (const auto& kind : failures) {
    DYNAMIC_SECTION(kind) {
      supervised_lab t(misbehaving("none", kind, timeout_for(kind)));
      const cli_result r = t.apply();
      INFO(r.out << r.err);
      CHECK(r.signal == 0);
      REQUIRE(r.exit_code == 4);
      const json report = r.out_json();
      const json& step = step_of(report, "supervisor-misbehave");
      CHECK(step["status"] == "failed");
      CHECK_THAT(step["reason"].get<std::string>(), Catch::Contains(expected_what(kind)));
      CHECK_THAT(step["reason"].get<std::string>(), Catch::Contains("apply of step supervisor-misbehave"));
      CHECK(report["worker"]["phase"] == "apply");
      REQUIRE(report.contains("rollback"));
      CHECK(report["rollback"]["performed"] == true);
      CHECK(report["rollback"]["complete"] == true);
      CHECK(t.restored());
      // The journal ends the run, and the run folder has the report.
      const auto records = smharden::test::journal_records(t.state, report["run_id"]);
      REQUIRE_FALSE(records.empty());
      CHECK(records.back()["type"] == "run_end");
      CHECK(records.back()["outcome"] == "failed");
      CHECK(std::filesystem::exists(t.state / "runs" / report["run_id"].get<std::string>() / "report.json"));
      // Nothing is left to roll back, and later commands say nothing about this run.
      const cli_result history = t.run({"history"});
      CHECK(history.err.find("did not finish") == std::string::npos);
    }
  }
}

TEST_CASE("an apply whose plugin crashed, with --no-auto-rollback: keeps its changes and says how to undo them") {
  supervised_lab t(misbehaving("none", "segv"));
  const cli_result r = t.apply({}, {"--no-auto-rollback"});
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 4);
  const json report = r.out_json();
  CHECK(report["rollback"]["performed"] == false);
  CHECK(report["rollback"]["how"] == "smharden rollback " + report["run_id"].get<std::string>());
  CHECK(t.changed());
  CHECK(t.run({"rollback", "--last"}).exit_code == 0);
  CHECK(t.restored());
}

TEST_CASE("step timeout: the manifest's default ends a hung apply") {
  // supervisor-misbehave-slow declares "timeout_seconds": 1; the profile sets none.
  supervised_lab t(misbehaving("none", "hang", std::nullopt, "supervisor-misbehave-slow"));
  const cli_result r = t.apply();
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 4);
  const json report = r.out_json();
  CHECK(report["worker"]["timeout_seconds"] == 1);
  CHECK_THAT(step_of(report, "supervisor-misbehave-slow")["reason"].get<std::string>(),
             Catch::Contains("did not return within its timeout of 1 s"));
  CHECK(t.restored());
}

TEST_CASE("step timeout: the profile's timeout_seconds overrides the manifest's") {
  // The manifest says 1 s; the profile gives the step 2 s, and the report names that.
  supervised_lab t(misbehaving("hang", "none", 2, "supervisor-misbehave-slow"));
  const cli_result r = t.check();
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 4);
  const json report = r.out_json();
  CHECK(report["worker"]["timeout_seconds"] == 2);
  CHECK(report["worker"]["phase"] == "check");
}

TEST_CASE("a profile's timeout_seconds must be a whole number of seconds") {
  supervised_lab t(misbehaving("none", "none", 0));
  const cli_result r = t.check();
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("/steps/supervisor-misbehave/timeout_seconds"));
}

TEST_CASE("a plugin printing on stdout in check and apply: --format json stays valid, the output goes to stderr") {
  supervised_lab t(misbehaving("print", "print"));
  const cli_result checked = t.check();
  INFO(checked.out << checked.err);
  CHECK(checked.exit_code == 3);
  CHECK(checked.out_json()["exit_code"] == 3);
  CHECK_THAT(checked.err, Catch::Contains("smharden: plugin output: misbehave check: printf on stdout"));

  const cli_result applied = t.apply();
  INFO(applied.out << applied.err);
  CHECK(applied.exit_code == 0);
  const json report = applied.out_json();
  CHECK(step_of(report, "supervisor-misbehave")["status"] == "applied");
  CHECK(applied.out.find("on stdout") == std::string::npos);
  CHECK_THAT(applied.err, Catch::Contains("misbehave apply: write(1) on stdout"));
  CHECK_THAT(applied.err, Catch::Contains("misbehave apply: std::cout on stdout"));
}
