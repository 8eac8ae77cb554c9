// Ctrl-C / SIGTERM / SIGHUP during a supervised apply whose plugin hangs and
// ignores them, and what later commands say about a run whose supervisor was
// killed.
#include <signal.h>

#include "supervised_lab.hpp"

using smharden::test::cli_result;
using supervisor_test::json;
using supervisor_test::misbehaving;
using supervisor_test::supervised_lab;

TEST_CASE("SIGTERM twice (or more) on a hung plugin: stopped at once, journaled as interrupted, not rolled back") {
  supervised_lab t(misbehaving("none", "hang"));
  const cli_result r = t.apply(t.repeatedly_once_changed(SIGTERM));
  INFO(r.out << r.err);
  CHECK(r.signal == 0);
  REQUIRE(r.exit_code == 4);
  const json report = r.out_json();
  CHECK(report["worker"]["stopped_by"] == "operator");
  CHECK(report["worker"]["step"] == "supervisor-misbehave");
  CHECK(report["interrupted"]["undo"] == "smharden rollback --last");
  CHECK(report.contains("rollback") == false);  // an interrupted run is not rolled back automatically
  CHECK_THAT(r.err, Catch::Contains("smharden rollback --last"));
  const auto records = smharden::test::journal_records(t.state, report["run_id"]);
  CHECK(records.back()["type"] == "run_end");
  CHECK(records.back()["outcome"] == "interrupted");
  CHECK(t.changed());
  // Later commands say what is not rolled back, and how.
  const cli_result history = t.run({"history"});
  CHECK_THAT(history.err, Catch::Contains("smharden rollback " + report["run_id"].get<std::string>()));
  CHECK(t.run({"rollback", "--last"}).exit_code == 0);
  CHECK(t.restored());
}

TEST_CASE("SIGHUP (an SSH session that drops) is handled like SIGTERM") {
  supervised_lab t(misbehaving("none", "hang"));
  const cli_result r = t.apply(t.repeatedly_once_changed(SIGHUP));
  INFO(r.out << r.err);
  CHECK(r.signal == 0);
  REQUIRE(r.exit_code == 4);
  CHECK(r.out_json()["worker"]["stopped_by"] == "operator");
  CHECK(t.run({"rollback", "--last"}).exit_code == 0);
  CHECK(t.restored());
}

TEST_CASE("SIGTERM once asks the worker to stop after the current step, a hung step still ends by its timeout") {
  supervised_lab t(misbehaving("none", "hang", 2));
  const cli_result r = t.apply(t.once_changed([](pid_t pid) { ::kill(pid, SIGTERM); }));
  INFO(r.out << r.err);
  CHECK(r.signal == 0);
  REQUIRE(r.exit_code == 4);
  const json report = r.out_json();
  CHECK(report["worker"]["timeout_seconds"] == 2);
  CHECK(report["worker"]["step"] == "supervisor-misbehave");
}

TEST_CASE("SIGTERM once on a step that finishes: the run stops after it, nothing later runs") {
  json steps = misbehaving("none", "sleep");
  steps.update(misbehaving("none", "none", std::nullopt, "supervisor-misbehave-slow"));
  supervised_lab t(steps);
  const cli_result r = t.apply(t.once_changed([](pid_t pid) { ::kill(pid, SIGTERM); }));
  INFO(r.out << r.err);
  CHECK(r.signal == 0);
  REQUIRE(r.exit_code == 4);
  const json report = r.out_json();
  CHECK(report.contains("worker") == false);  // the worker ended by itself, with its report
  CHECK(report["interrupted"]["undo"] == "smharden rollback --last");
  CHECK(smharden::test::step_of(report, "supervisor-misbehave-slow")["status"] == "skipped");
  CHECK(t.run({"rollback", "--last"}).exit_code == 0);
  CHECK(t.restored());
}

TEST_CASE("the supervisor itself killed (SIGKILL): the worker goes with it, and later commands name the run") {
  supervised_lab t(misbehaving("none", "hang"));
  const cli_result r = t.apply(t.once_changed([](pid_t pid) { ::kill(pid, SIGKILL); }));
  REQUIRE(r.signal == SIGKILL);
  std::string run_id;
  for (const auto& e : std::filesystem::directory_iterator(t.state / "runs")) run_id = e.path().filename().string();
  for (const std::vector<std::string>& later : std::vector<std::vector<std::string>>{
           {"history"},
           {"list"},
           {"check", "--format", "json", "--profile", t.profile.string(), "--target", t.home.target()}}) {
    const cli_result said = t.run(later);
    INFO(later[0] << ": " << said.err);
    CHECK_THAT(said.err, Catch::Contains("run " + run_id));
    CHECK_THAT(said.err, Catch::Contains("did not finish"));
    CHECK_THAT(said.err, Catch::Contains("smharden rollback " + run_id));
  }
  const cli_result rolled = t.run({"rollback", run_id});
  INFO(rolled.out << rolled.err);
  CHECK(rolled.exit_code == 0);
  CHECK(t.restored());
  CHECK(t.run({"history"}).err.find("did not finish") == std::string::npos);
}
