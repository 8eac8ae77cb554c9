// `smharden history` says what the rollbacks of a run really did, read from
// their journals: a rollback killed at any journal point leaves history saying
// "partly" once a step's undo is committed (never "no"), "yes" only when the
// lab is back to its original bytes, and `rollback --last` then finishes it.
#include <signal.h>
#include <catch2/catch.hpp>

#include <algorithm>

#include "cli_runner.hpp"
#include "lab_files.hpp"
#include "temp_dir.hpp"

using nlohmann::json;
using smharden::test::cli_result;
using std::filesystem::path;
namespace fs = std::filesystem;

namespace {

#ifdef __SANITIZE_ADDRESS__
constexpr std::size_t max_trials = 12;
#else
constexpr std::size_t max_trials = 40;
#endif

struct churn_lab {
  smharden::test::temp_dir root{"smharden-history-truth"};
  path pristine = root.path() / "pristine";
  path lab = root.path() / "lab";
  path profile = root.path() / "profile.json";
  smharden::test::cli_runner smh{path(SAFETY_PLUGIN_DIR), root.path() / "state"};
  std::map<std::string, std::string> original;

  churn_lab() {
    smh.use_executable(smharden::test::smharden_test_host_exe());  // the build with the fault injector
    REQUIRE(smh.run({"lab", "init", pristine.string()}).exit_code == 0);
    smharden::test::write_json(
        profile,
        {{"name", "history-truth"},
         {"steps",
          {{"safety-churn", json::object()}, {"safety-churn-b", {{"params", {{"bindings", {"127.0.0.1:9998:"}}}}}}}}});
    original = smharden::test::lab_hashes(pristine);
  }
  /// A fresh copy of the lab, applied (kept: no automatic rollback); returns the run id.
  std::string applied() {
    fs::remove_all(lab);
    fs::remove_all(smh.state_dir());
    fs::copy(pristine, lab, fs::copy_options::recursive);
    const cli_result r = run({"apply", "--yes", "--no-auto-rollback", "--format", "json", "--profile", profile.string(),
                              "--target", "lab:" + lab.string()});
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    return r.out_json()["run_id"].get<std::string>();
  }
  /// The secret the churn plugin's apply sets, and an undo of it needs again.
  cli_result run(const std::vector<std::string>& args, std::map<std::string, std::string> env = {}) const {
    env["SMHARDEN_SECRET_CHURN_PASSWORD"] = "History-Test-Secret-1";
    return smh.run(args, env);
  }
  json history_of(const std::string& run_id) const {
    const cli_result h = smh.run({"history", "--format", "json"});
    INFO(h.out << h.err);
    REQUIRE(h.exit_code == 0);
    const json runs = h.out_json()["runs"];
    for (const auto& r : runs) {
      if (r["id"] == run_id) return r;
    }
    FAIL("history does not list run " << run_id << ":\n" << h.out << h.err);
    return json();
  }
};

}  // namespace

TEST_CASE("history is true after a rollback killed at any journal point, and rollback --last finishes it") {
  churn_lab t;
  // The reference: a whole rollback, its journal records and where it records what it undid.
  const std::string reference_id = t.applied();
  const cli_result reference = t.run({"rollback", "--last", "--format", "json"});
  INFO(reference.out << reference.err);
  REQUIRE(reference.exit_code == 0);
  REQUIRE(smharden::test::lab_hashes(t.lab) == t.original);
  CHECK(t.history_of(reference_id)["rolled_back"] == "yes");
  // What the rollbacks undid lives in their journals only.
  CHECK_FALSE(fs::exists(t.smh.state_dir() / "runs" / reference_id / "rollback.json"));
  const auto records =
      smharden::test::journal_records(t.smh.state_dir(), reference.out_json()["run_id"].get<std::string>());
  std::size_t first_undone = 0;
  std::size_t groups = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (records[i]["type"] != "undone") continue;
    ++groups;
    if (first_undone == 0) first_undone = i + 1;  // the number of records once it is durable
  }
  REQUIRE(groups >= 2);  // two steps: a kill can land between their commits

  std::vector<std::size_t> kill_points;
  for (std::size_t n = 1; n < records.size(); ++n) kill_points.push_back(n);
  if (kill_points.size() > max_trials) {
    std::vector<std::size_t> spread;
    for (std::size_t i = 0; i < max_trials; ++i) spread.push_back(kill_points[i * kill_points.size() / max_trials]);
    if (std::find(spread.begin(), spread.end(), first_undone) == spread.end()) spread.push_back(first_undone);
    kill_points = spread;
  }
  std::size_t partly_seen = 0;
  for (const std::size_t n : kill_points) {
    const std::string run_id = t.applied();
    const cli_result killed =
        t.run({"rollback", "--last"}, {{"SMHARDEN_TEST_KILL_ROLLBACK_AFTER_JOURNAL_WRITES", std::to_string(n)}});
    INFO("rollback killed after " << n << " of " << records.size() << " journal records\n" << killed.out << killed.err);
    REQUIRE(killed.signal == SIGKILL);
    const std::string said = t.history_of(run_id)["rolled_back"].get<std::string>();
    INFO("history said: " << said);
    if (n >= first_undone) CHECK(said != "no");  // a committed undo is journaled before anything else
    if (said == "yes") CHECK(smharden::test::lab_hashes(t.lab) == t.original);
    partly_seen += said == "partly" ? 1 : 0;
    // rollback --last picks the run again (it is not rolled back) and finishes it.
    const cli_result finished = t.run({"rollback", "--last", "--format", "json"});
    INFO(finished.out << finished.err);
    REQUIRE(finished.exit_code == 0);
    const json fj = finished.out_json();
    if (said != "yes") CHECK(fj["rolls_back"] == run_id);
    CHECK(smharden::test::lab_hashes(t.lab) == t.original);
    CHECK(t.history_of(run_id)["rolled_back"] == "yes");
    // Nothing is left: --last finds no apply run that is not rolled back.
    const cli_result again = t.run({"rollback", "--last", "--format", "json"});
    CHECK(again.exit_code == 0);
    CHECK(again.out_json()["nothing_to_do"] == true);
  }
  CHECK(partly_seen >= 1);
}
