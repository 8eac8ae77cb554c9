// The health probe and the automatic rollback of a failed apply run in the
// run's worker process, after the engine; the supervising process, which
// loads no plugin, finishes the run when the worker dies there: a worker that
// crashes in the probe path, or part way through its automatic rollback,
// still ends in a complete rollback, exit 4, and a true history.
#include <signal.h>
#include <catch2/catch.hpp>

#include "cli_lab.hpp"
#include "fake_webmail.hpp"
#include "lab_files.hpp"

using nlohmann::json;
using smharden::test::cli_result;
using std::filesystem::path;

namespace {

using webmail = smharden::test::fake_webmail;

struct probed_lab {
  smharden::test::cli_lab home{"smharden-worker-probe", SAFETY_PLUGIN_DIR};
  smharden::test::cli_runner smh{path(SAFETY_PLUGIN_DIR), home.state()};
  path profile = home.root() / "profile.json";
  std::map<std::string, std::string> original = smharden::test::lab_hashes(home.lab());

  explicit probed_lab(const webmail& server) {
    smh.use_executable(smharden::test::smharden_test_host_exe());  // the build with the fault injector
    smharden::test::write_json(
        profile,
        {{"name", "worker-probe"},
         {"management_cidrs", {"192.0.2.10/32"}},
         {"health", server.health()},
         {"steps",
          {{"safety-churn", json::object()}, {"safety-churn-b", {{"params", {{"bindings", {"127.0.0.1:9998:"}}}}}}}}});
  }
  cli_result apply(const std::map<std::string, std::string>& env = {}) const {
    std::map<std::string, std::string> all = {{"SMHARDEN_SECRET_CHURN_PASSWORD", "Probe-Test-Secret-1"}};
    all.insert(env.begin(), env.end());
    return smh.run({"apply", "--yes", "--format", "json", "--profile", profile.string(), "--target", home.target()},
                   all);
  }
  bool restored() const { return smharden::test::lab_hashes(home.lab()) == original; }
  json history_of(const std::string& run_id) const {
    const cli_result h = smh.run({"history", "--format", "json"});
    REQUIRE(h.exit_code == 0);
    const json runs = h.out_json()["runs"];
    for (const auto& r : runs) {
      if (r["id"] == run_id) return r;
    }
    FAIL("history does not list run " << run_id << ":\n" << h.out << h.err);
    return json();
  }
};

/// The number of records written when record `type` is next (its index), in a run's journal.
std::size_t records_before(const std::vector<json>& records, const std::string& type) {
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (records[i]["type"] == type) return i;
  }
  FAIL("no " << type << " record");
  return 0;
}

}  // namespace

TEST_CASE("the worker dies after the engine, in the health probe: the supervisor rolls the apply back, exit 4") {
  webmail up(200);
  std::size_t before_health = 0;
  {
    probed_lab reference(up);
    const cli_result r = reference.apply();
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    const auto records = smharden::test::journal_records(reference.home.state(), r.out_json()["run_id"]);
    before_health = records_before(records, "health");
    // The last record before the probe's is the engine's: every step is done when the worker dies.
    REQUIRE(before_health > 2);
  }
  probed_lab t(up);
  const cli_result r = t.apply({{"SMHARDEN_TEST_KILL_WORKER_ONLY", "1"},
                                {"SMHARDEN_TEST_KILL_AFTER_JOURNAL_WRITES", std::to_string(before_health)}});
  INFO(r.out << r.err);
  CHECK(r.signal == 0);
  REQUIRE(r.exit_code == 4);
  const json report = r.out_json();
  CHECK_THAT(report["worker"]["what"].get<std::string>(), Catch::Contains("SIGKILL"));
  CHECK_FALSE(report.contains("health"));  // the probe never reported
  REQUIRE(report.contains("rollback"));
  CHECK(report["rollback"]["performed"] == true);
  CHECK(report["rollback"]["complete"] == true);
  CHECK(t.restored());
  const std::string run_id = report["run_id"];
  const auto records = smharden::test::journal_records(t.home.state(), run_id);
  CHECK(records_before(records, "worker_ended") == before_health);  // nothing after the kill point
  CHECK(records.back()["type"] == "run_end");
  CHECK(t.history_of(run_id)["rolled_back"] == "yes");
}

TEST_CASE("the worker dies part way through its automatic rollback: the supervisor finishes it") {
  webmail down(500);
  std::size_t at_first_undone = 0;
  {
    probed_lab reference(down);
    const cli_result r = reference.apply();
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 4);
    const json report = r.out_json();
    REQUIRE(report["rollback"]["complete"] == true);
    const auto records =
        smharden::test::journal_records(reference.home.state(), report["rollback"]["run_id"].get<std::string>());
    at_first_undone = records_before(records, "undone") + 1;  // one step undone, the other not yet
  }
  probed_lab t(down);
  const cli_result r = t.apply({{"SMHARDEN_TEST_KILL_WORKER_ONLY", "1"},
                                {"SMHARDEN_TEST_KILL_ROLLBACK_AFTER_JOURNAL_WRITES", std::to_string(at_first_undone)}});
  INFO(r.out << r.err);
  CHECK(r.signal == 0);
  REQUIRE(r.exit_code == 4);
  const json report = r.out_json();
  CHECK_THAT(report["worker"]["what"].get<std::string>(), Catch::Contains("SIGKILL"));
  REQUIRE(report.contains("rollback"));
  CHECK(report["rollback"]["performed"] == true);
  CHECK(report["rollback"]["complete"] == true);
  CHECK(t.restored());
  // Two rollback runs: the worker's, killed after its first step, and the supervisor's, which undid the rest.
  const cli_result h = t.smh.run({"history", "--format", "json"});
  std::size_t rollbacks = 0;
  const json runs = h.out_json()["runs"];
  for (const auto& run : runs) rollbacks += run["mode"] == "rollback" ? 1 : 0;
  CHECK(rollbacks == 2);
  CHECK(t.history_of(report["run_id"])["rolled_back"] == "yes");
}
