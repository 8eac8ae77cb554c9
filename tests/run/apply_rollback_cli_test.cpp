// apply / rollback / history through the real CLI on labs: the journal, exact
// restores, idempotent and --only rollbacks, automatic rollback on a failed
// step or health probe, --no-auto-rollback, --no-restart, the lockout guard
// and interrupts.
#include <signal.h>
#include <catch2/catch.hpp>

#include <fstream>

#include "cli_lab.hpp"
#include "fake_webmail.hpp"
#include "lab_files.hpp"
#include "temp_dir.hpp"

using nlohmann::json;
using smharden::test::cli_result;
using smharden::test::step_of;
using std::filesystem::path;
namespace fs = std::filesystem;

namespace {

const char* const secret_value = "Churn-Secret-Value-9f3k";

/// A lab, a state folder and a profile in one temporary folder.
struct lab_run {
  smharden::test::cli_lab home{"smharden-safety-cli", SAFETY_PLUGIN_DIR};
  path lab = home.lab();
  path state = home.state();
  path profile = home.root() / "profile.json";
  const smharden::test::cli_runner& smh = home.cli();
  std::map<std::string, std::string> env = {{"SMHARDEN_SECRET_CHURN_PASSWORD", secret_value}};
  std::map<std::string, std::string> original;

  explicit lab_run(json profile_doc) {
    smharden::test::write_json(profile, profile_doc);
    original = smharden::test::lab_hashes(lab);
  }
  cli_result run(std::vector<std::string> args) const { return smh.run(args, env); }
  cli_result apply(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"apply",     "--yes",          "--format", "json",
                                     "--profile", profile.string(), "--target", "lab:" + lab.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }
  cli_result check(std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"check",    "--format",           "json", "--profile", profile.string(),
                                     "--target", "lab:" + lab.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }
  cli_result rollback(std::vector<std::string> extra = {"--last"}) const {
    std::vector<std::string> args = {"rollback", "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args);
  }
  json history() const {
    const cli_result h = run({"history", "--format", "json"});
    REQUIRE(h.exit_code == 0);
    return h.out_json()["runs"];
  }
  bool restored() const { return smharden::test::lab_hashes(lab) == original; }
};

json churn_profile(json params = json::object(), json extra = json::object()) {
  json p = {
      {"name", "safety"}, {"management_cidrs", {"192.0.2.10/32"}}, {"steps", {{"safety-churn", {{"params", params}}}}}};
  for (auto& [k, v] : extra.items()) p[k] = v;
  return p;
}

std::size_t count_type(const std::vector<json>& records, const std::string& type) {
  std::size_t n = 0;
  for (const auto& r : records) n += r["type"] == type ? 1 : 0;
  return n;
}

bool tree_contains(const path& root, const std::string& needle) {
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    std::ifstream in(e.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (text.find(needle) != std::string::npos) return true;
  }
  return false;
}

using webmail = smharden::test::fake_webmail;

}  // namespace

TEST_CASE("apply journals every change write-ahead, rollback restores every byte, a second rollback does nothing") {
  lab_run t(churn_profile());
  const cli_result applied = t.apply();
  INFO(applied.err);
  REQUIRE(applied.exit_code == 0);
  const json report = applied.out_json();
  CHECK(step_of(report, "safety-churn")["status"] == "applied");
  const std::string run_id = report["run_id"];
  CHECK_FALSE(t.restored());
  CHECK(t.check().exit_code == 0);

  const auto records = smharden::test::journal_records(t.state, run_id);
  REQUIRE(records.size() > 4);
  CHECK(records.front()["type"] == "run_start");
  CHECK(records.front()["mode"] == "apply");
  CHECK(records.front()["profile"] == "safety");
  CHECK(records.back()["type"] == "run_end");
  CHECK(records.back()["outcome"] == "ok");
  const std::size_t mutations = count_type(records, "mutation");
  CHECK(mutations >= 9);  // relay, 4 blacklists, user, right, ipSecurity, bindings (+ restarts)
  CHECK(count_type(records, "mutation_done") == mutations);
  CHECK(count_type(records, "file_backup") >= 3);  // windows state, applicationHost.config, smartermail settings
  CHECK(report["journal"]["changes_journaled"] == mutations);
  // Every mutation is journaled before its outcome, in order, with its undo calls.
  std::int64_t last_seq = 0;
  for (const auto& r : records) {
    if (r["type"] == "mutation") {
      CHECK(r["seq"] == last_seq + 1);
      last_seq = r["seq"];
      CHECK(r["undo"].is_array());
    } else if (r["type"] == "mutation_done") {
      CHECK(r["seq"] == last_seq);
    }
  }
  // Restarts: each requested one done once, after the steps.
  REQUIRE(report["restarts"].size() == 2);
  for (const auto& r : report["restarts"]) CHECK(r["status"] == "done");
  CHECK_FALSE(tree_contains(t.state, secret_value));

  const cli_result rb = t.rollback();
  INFO(rb.out << rb.err);
  REQUIRE(rb.exit_code == 0);
  const json rbj = rb.out_json();
  CHECK(rbj["complete"] == true);
  CHECK(rbj["rolls_back"] == run_id);
  CHECK(rbj["undone"].size() == mutations - 2);  // the two restarts have nothing to undo
  CHECK(rbj["run_rolled_back"] == "yes");
  CHECK(t.restored());
  CHECK(t.check().exit_code == 3);
  // The rollback journaled itself in its own folder.
  const auto rb_records = smharden::test::journal_records(t.state, rbj["run_id"]);
  REQUIRE_FALSE(rb_records.empty());
  CHECK(rb_records.front()["mode"] == "rollback");
  CHECK(rb_records.front()["rolls_back"] == run_id);
  CHECK(count_type(rb_records, "mutation") >= mutations - 2);

  const cli_result again = t.rollback();
  REQUIRE(again.exit_code == 0);
  const json againj = again.out_json();
  CHECK(againj["nothing_to_do"] == true);
  CHECK_THAT(againj["notices"][0].get<std::string>(), Catch::Contains("rolled back already"));
  CHECK(t.restored());
  const cli_result text = t.run({"rollback", run_id});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("nothing to do"));

  const json runs = t.history();
  REQUIRE(runs.size() == 2);  // the no-op rollbacks made no run folder
  CHECK(runs[0]["id"] == run_id);
  CHECK(runs[0]["mode"] == "apply");
  CHECK(runs[0]["outcome"] == "ok");
  CHECK(runs[0]["rolled_back"] == "yes");
  CHECK(runs[0]["profile"] == "safety");
  CHECK(runs[1]["mode"] == "rollback");
  CHECK(runs[1]["rolls_back"] == run_id);
  const cli_result table = t.run({"history"});
  CHECK_THAT(table.out, Catch::Contains(run_id));
}

TEST_CASE("rollback --last skips a later apply that changed nothing") {
  lab_run t(churn_profile());
  const cli_result first = t.apply();
  INFO(first.out << first.err);
  REQUIRE(first.exit_code == 0);
  const std::string changed_run = first.out_json()["run_id"];
  const cli_result second = t.apply();  // compliant now: nothing to change
  REQUIRE(second.exit_code == 0);
  REQUIRE(second.out_json()["run_id"] != changed_run);
  CHECK(t.history().back()["mutations"] == 0);

  const cli_result rb = t.rollback();
  INFO(rb.out << rb.err);
  REQUIRE(rb.exit_code == 0);
  CHECK(rb.out_json()["rolls_back"] == changed_run);
  CHECK(t.restored());
}

TEST_CASE("the IIS history copy is journaled, rollback removes it and what a killed copy left behind") {
  json profile = churn_profile();
  profile["steps"]["safety-churn-b"] = {{"params", {{"bindings", {"127.0.0.1:9998:"}}}}};
  lab_run t(profile);
  const cli_result applied = t.apply();
  INFO(applied.out << applied.err);
  REQUIRE(applied.exit_code == 0);
  const std::string run_id = applied.out_json()["run_id"];
  path copy;
  for (const auto& r : smharden::test::journal_records(t.state, run_id)) {
    if (r["type"] == "file_backup" && r["path"].get<std::string>().find("iis/history/") != std::string::npos) {
      CHECK(r["existed"] == false);
      copy = r["path"].get<std::string>();
    }
  }
  REQUIRE_FALSE(copy.empty());
  REQUIRE(fs::exists(copy));
  // What an apply killed in the middle of writing that copy leaves: the temp file beside it.
  const path torn = copy.parent_path() / ("." + copy.filename().string() + ".smharden-4f2a.tmp");
  smharden::test::write_json(torn, json{{"half", "written"}});

  const cli_result rb = t.rollback({run_id});
  INFO(rb.out << rb.err);
  REQUIRE(rb.exit_code == 0);
  CHECK_FALSE(fs::exists(copy));
  CHECK_FALSE(fs::exists(torn));
  std::size_t temp_files = 0;
  CHECK(smharden::test::unparseable_files(t.lab, &temp_files).empty());
  CHECK(temp_files == 0);
}

TEST_CASE("rollback --only undoes the named steps and leaves the others") {
  json profile = churn_profile();
  profile["steps"]["safety-churn-b"] = {{"params", {{"bindings", {"127.0.0.1:9998:"}}}}};
  lab_run t(profile);
  const cli_result applied = t.apply();
  INFO(applied.err);
  REQUIRE(applied.exit_code == 0);
  const std::string run_id = applied.out_json()["run_id"];
  const std::string config = "iis/applicationHost.config";
  const auto after_apply = smharden::test::lab_hashes(t.lab);

  const cli_result only = t.rollback({run_id, "--only", "safety-churn-b"});
  INFO(only.out << only.err);
  REQUIRE(only.exit_code == 0);
  const json onlyj = only.out_json();
  CHECK(onlyj["run_rolled_back"] == "partly");
  for (const auto& u : onlyj["undone"]) CHECK(u["step"] == "safety-churn-b");
  CHECK(t.check({"--only", "safety-churn-b"}).exit_code == 3);  // undone
  CHECK(t.check({"--only", "safety-churn"}).exit_code == 0);    // kept
  // applicationHost.config was changed by both steps: only the undo calls of -b ran on it.
  CHECK(smharden::test::lab_hashes(t.lab).at(config) != t.original.at(config));
  CHECK(t.history()[0]["rolled_back"] == "partly");

  // Again --only the same step: nothing left there.
  const cli_result repeat = t.rollback({run_id, "--only", "safety-churn-b"});
  CHECK(repeat.exit_code == 0);
  CHECK(repeat.out_json()["nothing_to_do"] == true);

  const cli_result rest = t.rollback({run_id});
  INFO(rest.out << rest.err);
  REQUIRE(rest.exit_code == 0);
  const json restj = rest.out_json();  // a named value: the loop must not iterate a destroyed temporary
  for (const auto& u : restj["undone"]) CHECK(u["step"] == "safety-churn");
  CHECK(t.restored());
  CHECK(t.history()[0]["rolled_back"] == "yes");
  (void)after_apply;
}

TEST_CASE("rollback refuses what it cannot do, with a usage error") {
  lab_run t(churn_profile());
  CHECK(t.rollback().exit_code == 2);  // no runs yet
  CHECK(t.rollback({"20990101T000000Z-000000"}).exit_code == 2);
  CHECK(t.run({"rollback"}).exit_code == 2);  // neither --last nor an id
  const cli_result applied = t.apply();
  REQUIRE(applied.exit_code == 0);
  const cli_result bad_only = t.rollback({"--last", "--only", "no-such-step"});
  CHECK(bad_only.exit_code == 2);
  CHECK_THAT(bad_only.err, Catch::Contains("safety-churn"));
  const cli_result rb = t.rollback();
  REQUIRE(rb.exit_code == 0);
  const cli_result of_rollback = t.rollback({rb.out_json()["run_id"].get<std::string>()});
  CHECK(of_rollback.exit_code == 2);
  CHECK_THAT(of_rollback.err, Catch::Contains("only apply runs"));
}

TEST_CASE("a failed step rolls the whole run back automatically, --no-auto-rollback keeps it") {
  SECTION("automatic") {
    lab_run t(churn_profile({{"fail_after_changes", true}}));
    const cli_result applied = t.apply();
    REQUIRE(applied.exit_code == 4);
    const json report = applied.out_json();
    CHECK(step_of(report, "safety-churn")["status"] == "failed");
    CHECK(report["rollback"]["performed"] == true);
    CHECK(report["rollback"]["complete"] == true);
    CHECK(t.restored());
    const json runs = t.history();
    CHECK(runs[0]["outcome"] == "failed");
    CHECK(runs[0]["rolled_back"] == "yes");
  }
  SECTION("--no-auto-rollback") {
    lab_run t(churn_profile({{"fail_after_changes", true}}));
    const cli_result applied = t.apply({"--no-auto-rollback"});
    REQUIRE(applied.exit_code == 4);
    const json report = applied.out_json();
    CHECK(report["rollback"]["performed"] == false);
    CHECK_THAT(report["rollback"]["reason"].get<std::string>(), Catch::Contains("--no-auto-rollback"));
    CHECK_FALSE(t.restored());
    CHECK(t.rollback().exit_code == 0);
    CHECK(t.restored());
  }
}

TEST_CASE("a failing health probe after apply rolls back automatically and exits 4") {
  webmail down(500);
  lab_run t(churn_profile(json::object(), {{"health", down.health()}}));
  const cli_result applied = t.apply();
  INFO(applied.out << applied.err);
  REQUIRE(applied.exit_code == 4);
  const json report = applied.out_json();
  CHECK(step_of(report, "safety-churn")["status"] == "applied");
  CHECK(report["health"]["ok"] == false);
  CHECK(report["health"]["checks"][0]["status"] == 500);
  CHECK(report["rollback"]["performed"] == true);
  CHECK(report["rollback"]["complete"] == true);
  CHECK(report["rollback"]["reason"] == "automatic: the health probe failed after apply");
  CHECK(report["health_after_rollback"]["ok"] == false);
  CHECK(t.restored());
  // The rollback redid the restarts so that the old settings take effect.
  CHECK(report["rollback"]["restarts"].size() == 2);
  const json runs = t.history();
  CHECK(runs[0]["outcome"] == "health_failed");
  CHECK(runs[0]["rolled_back"] == "yes");
  const auto records = smharden::test::journal_records(t.state, report["run_id"]);
  CHECK(count_type(records, "health") == 1);
  CHECK(count_type(records, "auto_rollback") == 1);
}

TEST_CASE("a passing health probe keeps the apply, a failing one with --no-auto-rollback keeps it too, exit 4") {
  SECTION("passes") {
    webmail up(200);
    lab_run t(churn_profile(json::object(), {{"health", up.health()}}));
    const cli_result applied = t.apply();
    REQUIRE(applied.exit_code == 0);
    CHECK(applied.out_json()["health"]["ok"] == true);
    CHECK_FALSE(t.restored());
  }
  SECTION("fails, kept") {
    webmail down(503);
    lab_run t(churn_profile(json::object(), {{"health", down.health()}}));
    const cli_result applied = t.apply({"--no-auto-rollback"});
    REQUIRE(applied.exit_code == 4);
    const json report = applied.out_json();
    CHECK(report["health"]["ok"] == false);
    CHECK(report["rollback"]["performed"] == false);
    CHECK_FALSE(t.restored());
  }
  SECTION("a bad health setting stops the apply before anything changes") {
    lab_run t(churn_profile(json::object(), {{"health", {{"webmail", {{"url", "localhost:9998"}}}}}}));
    const cli_result applied = t.apply();
    CHECK(applied.exit_code == 2);
    CHECK_THAT(applied.err, Catch::Contains("/health/webmail/url"));
    CHECK(t.restored());
  }
}

TEST_CASE("the lockout guard refuses an allow-list that excludes a management range, the override is recorded") {
  json profile = churn_profile();
  profile["management_cidrs"] = {"192.0.2.10/32", "203.0.113.0/24"};
  SECTION("refused, and the step's earlier changes rolled back") {
    lab_run t(profile);
    const cli_result applied = t.apply();
    REQUIRE(applied.exit_code == 4);
    const json report = applied.out_json();
    const json s = step_of(report, "safety-churn");
    CHECK(s["status"] == "failed");
    CHECK_THAT(s["reason"].get<std::string>(), Catch::Contains("203.0.113.0/24"));
    CHECK_THAT(s["reason"].get<std::string>(), Catch::Contains("--allow-lockout-risk"));
    CHECK(report["overrides"].empty());
    CHECK(t.restored());
  }
  SECTION("--allow-lockout-risk") {
    lab_run t(profile);
    const cli_result applied = t.apply({"--allow-lockout-risk"});
    REQUIRE(applied.exit_code == 0);
    const json report = applied.out_json();
    bool recorded = false;
    for (const auto& o : report["overrides"]) {
      const std::string text = o.get<std::string>();
      if (text.find("lockout guard overridden") != std::string::npos &&
          text.find("203.0.113.0/24") != std::string::npos) {
        recorded = true;
      }
    }
    CHECK(recorded);
  }
}

TEST_CASE("apply --no-restart leaves the restarts pending and says so") {
  lab_run t(churn_profile());
  const cli_result applied = t.apply({"--no-restart"});
  REQUIRE(applied.exit_code == 0);
  const json report = applied.out_json();
  REQUIRE(report["restarts"].size() == 2);
  for (const auto& r : report["restarts"]) {
    CHECK(r["status"] == "pending");
    CHECK_THAT(r["message"].get<std::string>(), Catch::Contains("--no-restart"));
  }
  bool said = false;
  for (const auto& n : report["notices"]) said |= n.get<std::string>().find("left pending") != std::string::npos;
  CHECK(said);
  CHECK_FALSE(fs::exists(t.lab / "iis" / "recycle.log"));
  // Text output says so too (a second apply changes nothing: the restarts are not requested again).
  const cli_result text =
      t.run({"apply", "--yes", "--no-restart", "--profile", t.profile.string(), "--target", "lab:" + t.lab.string()});
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::Contains("compliant"));
}

TEST_CASE("SIGINT during apply finishes the current call, stops, and says how to roll back") {
  lab_run t(churn_profile({{"sleep_ms", 150}}));
  const auto runs = t.state / "runs";
  bool signalled = false;
  std::vector<std::string> args = {
      "apply", "--yes", "--format", "json", "--profile", t.profile.string(), "--target", "lab:" + t.lab.string()};
  const cli_result applied = t.smh.run(args, t.env, [&](pid_t pid) {
    std::error_code ec;
    if (!fs::is_directory(runs, ec)) return true;
    for (const auto& d : fs::directory_iterator(runs)) {
      const auto id = d.path().filename().string();
      if (count_type(smharden::test::journal_records(t.state, id), "mutation_done") >= 2) {
        ::kill(pid, SIGINT);
        signalled = true;
        return false;
      }
    }
    return true;
  });
  REQUIRE(signalled);
  INFO(applied.out << applied.err);
  REQUIRE(applied.exit_code == 4);
  CHECK_THAT(applied.err, Catch::Contains("smharden rollback --last"));
  const json report = applied.out_json();
  CHECK(report["interrupted"]["undo"] == "smharden rollback --last");
  CHECK(report.contains("rollback") == false);  // no automatic rollback after an interrupt
  const auto records = smharden::test::journal_records(t.state, report["run_id"]);
  CHECK(count_type(records, "interrupt") == 1);
  CHECK(count_type(records, "mutation") == count_type(records, "mutation_done"));
  CHECK(count_type(records, "mutation") < 9);
  CHECK(records.back()["outcome"] == "interrupted");
  CHECK(t.history()[0]["outcome"] == "interrupted");
  CHECK(t.rollback().exit_code == 0);
  CHECK(t.restored());
}

TEST_CASE("the installed smharden has no crash-test hooks: the kill variables change nothing") {
  lab_run t(churn_profile());
  t.env["SMHARDEN_TEST_KILL_AFTER_JOURNAL_WRITES"] = "1";
  t.env["SMHARDEN_TEST_KILL_AFTER_MUTATIONS"] = "1";
  t.env["SMHARDEN_TEST_KILL_TORN_WRITE"] = "2";
  const cli_result applied = t.apply();
  INFO(applied.err);
  CHECK(applied.signal == 0);
  REQUIRE(applied.exit_code == 0);
  const auto records = smharden::test::journal_records(t.state, applied.out_json()["run_id"]);
  REQUIRE_FALSE(records.empty());
  CHECK(records.back()["type"] == "run_end");
  CHECK(records.back()["outcome"] == "ok");
}

TEST_CASE("rollback loads no plugin: a broken module in the plugin folder is never opened") {
  lab_run t(churn_profile());
  const cli_result applied = t.apply();
  INFO(applied.err);
  REQUIRE(applied.exit_code == 0);
  const path broken = t.home.root() / "broken-plugins";
  std::filesystem::create_directories(broken);
  smharden::test::write_file(broken / "smh-broken.so", "not a shared library");
  const cli_result rolled = t.run({"--plugin-dir", broken.string(), "rollback", "--last", "--format", "json"});
  INFO(rolled.err);
  REQUIRE(rolled.exit_code == 0);
  CHECK(rolled.err.find("smh-broken") == std::string::npos);
  CHECK(t.restored());
}
