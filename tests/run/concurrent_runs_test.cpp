// Two smharden processes started together on one lab: applies and rollbacks
// from one state folder, and applies from two state folders. Whichever takes
// the run lock first is frozen (SIGSTOP) while it holds it, so every pair is
// really contended: the other must be refused at once (exit 1) naming the
// holder. Afterwards nothing is lost (every journal complete), `history` is
// true, `rollback --last` never picks a rolled-back run, and rolling
// everything back gives the lab's original bytes. A check runs beside a held lock.
#include <signal.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "cli_lab.hpp"
#include "lab_files.hpp"
#include "run/run_lock.hpp"
#include "temp_dir.hpp"

using nlohmann::json;
using smharden::test::cli_result;
using smharden::test::cli_runner;
namespace fs = std::filesystem;

namespace {

const std::map<std::string, std::string> churn_env = {{"SMHARDEN_SECRET_CHURN_PASSWORD", "Lock-Test-Secret-4q"}};

json churn_profile(const std::string& step, json params = json::object()) {
  return {{"name", "lock-test"}, {"management_cidrs", {"192.0.2.10/32"}}, {"steps", {{step, {{"params", params}}}}}};
}

struct process_run {
  std::vector<std::string> args;
  const cli_runner* cli = nullptr;
  cli_result result;
  std::atomic<pid_t> pid{0};
  std::atomic<bool> done{false};
};

struct race_result {
  pid_t holder = 0;  ///< the process frozen while it held a lock; 0 when they did not overlap
};

/// Starts both processes together. The first one that a lock file names is frozen until the other
/// has ended (or, with `freeze`, for that long: the other waits for the lock), then let go.
race_result race(process_run& a, process_run& b, const std::vector<fs::path>& lock_files,
                 std::chrono::milliseconds freeze = {}) {
  auto start = [](process_run& p) {
    return std::thread([&p] {
      p.result = p.cli->run(p.args, churn_env, [&p](pid_t pid) {
        p.pid = pid;
        return true;
      });
      p.done = true;
    });
  };
  std::thread ta = start(a);
  std::thread tb = start(b);
  race_result r;
  while (r.holder == 0 && !(a.done && b.done)) {
    for (const auto& file : lock_files) {
      const auto h = smharden::core::read_lock_holder(file);
      if (h.known && h.pid != 0 && (h.pid == a.pid || h.pid == b.pid)) {
        r.holder = static_cast<pid_t>(h.pid);
        break;
      }
    }
    if (r.holder == 0) std::this_thread::sleep_for(std::chrono::microseconds(500));
  }
  if (r.holder != 0) {
    ::kill(r.holder, SIGSTOP);
    process_run& other = r.holder == a.pid ? b : a;
    if (freeze.count() > 0) {
      std::this_thread::sleep_for(freeze);
    } else {
      while (!other.done) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ::kill(r.holder, SIGCONT);
  }
  ta.join();
  tb.join();
  return r;
}

struct lab_home {
  smharden::test::cli_lab home{"smharden-lock-race", SAFETY_PLUGIN_DIR};
  cli_runner second_state{SAFETY_PLUGIN_DIR, home.root() / "state-2"};
  fs::path profile = home.write_json("profile.json", churn_profile("safety-churn"));
  fs::path profile_b =
      home.write_json("profile-b.json", churn_profile("safety-churn-b", {{"bindings", {"127.0.0.1:9998:"}}}));
  std::map<std::string, std::string> original = smharden::test::lab_hashes(home.lab());

  std::vector<std::string> apply(const fs::path& p) const {
    return {"apply", "--yes", "--format", "json", "--profile", p.string(), "--target", home.target()};
  }
  static std::vector<std::string> rollback_last() { return {"rollback", "--last", "--format", "json"}; }
  cli_result run(const cli_runner& cli, const std::vector<std::string>& args) const {
    const cli_result r = cli.run(args, churn_env);
    INFO(r.out << r.err);
    REQUIRE(r.exit_code == 0);
    return r;
  }
  json history(const cli_runner& cli) const { return run(cli, {"history", "--format", "json"}).out_json()["runs"]; }
};

void services_target_lock(smharden::core::run_lock& lock, const fs::path& lab) {
  smharden::services::target t;
  t.kind = smharden::services::target_kind::lab;
  t.root = lab;
  lock.lock_target(t);
}

/// The refused one exited 1 at once, naming the holder's pid, run id and start time; the holder went on.
void check_contended(const race_result& r, const process_run& a, const process_run& b) {
  REQUIRE(r.holder != 0);
  const process_run& holder = r.holder == a.pid ? a : b;
  const process_run& refused = r.holder == a.pid ? b : a;
  INFO("holder: " << holder.result.out << holder.result.err << "\nrefused: " << refused.result.out
                  << refused.result.err);
  CHECK(holder.result.exit_code == 0);
  CHECK(refused.result.exit_code == 1);
  CHECK_THAT(refused.result.err, Catch::Contains("refused: another smharden run is changing"));
  CHECK_THAT(refused.result.err, Catch::Contains("pid " + std::to_string(r.holder)));
  CHECK_THAT(refused.result.err, Catch::Contains("started 20"));
  CHECK_THAT(refused.result.err, Catch::Contains("--wait-lock"));
  const json report = holder.result.out_json();
  if (report.contains("run_id") && report["run_id"].is_string()) {
    CHECK_THAT(refused.result.err, Catch::Contains("run " + report["run_id"].get<std::string>()));
  }
}

/// Every run ended (run_end), every journaled change has its outcome, and history says each apply
/// that changed something is rolled back.
void check_history_true(const lab_home& t, const cli_runner& cli) {
  for (const auto& run : t.history(cli)) {
    INFO(run.dump());
    CHECK(run["outcome"] != "incomplete");
    CHECK_FALSE(run.contains("problem"));
    const auto records = smharden::test::journal_records(cli.state_dir(), run["id"]);
    REQUIRE_FALSE(records.empty());
    CHECK(records.back()["type"] == "run_end");
    std::size_t started = 0;
    std::size_t ended = 0;
    for (const auto& rec : records) {
      started += rec["type"] == "mutation" ? 1 : 0;
      ended += rec["type"] == "mutation_done" ? 1 : 0;
    }
    CHECK(started == ended);
    if (run["mode"] == "apply" && run["mutations"].get<int>() > 0) CHECK(run["rolled_back"] == "yes");
  }
}

}  // namespace

TEST_CASE("concurrent applies and rollbacks on one lab: exactly one proceeds, the other is refused naming it") {
  lab_home t;
  const auto& cli1 = t.home.cli();
  // The lock the pair contends for: the holder is frozen only once its record there is written.
  const fs::path state_lock = t.home.state() / "run.lock";
  const fs::path lab_lock = t.home.lab() / ".smharden-run.lock";
  const int trials = 20;
  for (int i = 0; i < trials; ++i) {
    const int kind = i % 4;
    INFO("trial " << i << ", kind " << kind);
    process_run a;
    process_run b;
    a.cli = &cli1;
    b.cli = &cli1;
    if (kind == 0) {  // apply vs apply, one state folder
      a.args = b.args = t.apply(t.profile);
    } else if (kind == 1) {  // rollback --last vs rollback --last
      t.run(cli1, t.apply(t.profile));
      a.args = b.args = lab_home::rollback_last();
    } else if (kind == 2) {  // apply vs rollback --last of an earlier apply
      t.run(cli1, t.apply(t.profile));
      a.args = t.apply(t.profile_b);
      b.args = lab_home::rollback_last();
    } else {  // two state folders, one lab: the lab's own lock
      a.args = t.apply(t.profile);
      b.args = t.apply(t.profile);
      b.cli = &t.second_state;
    }
    const race_result r = race(a, b, {kind == 3 ? lab_lock : state_lock});
    check_contended(r, a, b);
    // Roll back everything still applied, in each state folder, newest first.
    for (const cli_runner* cli : std::vector<const cli_runner*>{&cli1, &t.second_state}) {
      for (int guard = 0; guard < 5; ++guard) {
        const cli_result rb = cli->run(lab_home::rollback_last(), churn_env);
        if (rb.exit_code == 2) break;  // this state folder has no apply run yet
        INFO(rb.out << rb.err);
        REQUIRE(rb.exit_code == 0);
        if (rb.out_json()["nothing_to_do"] == true) break;
      }
    }
    REQUIRE(smharden::test::lab_hashes(t.home.lab()) == t.original);
  }
  check_history_true(t, cli1);
  check_history_true(t, t.second_state);
}

TEST_CASE("rollback --last never picks a rolled-back run, and history says which runs are rolled back") {
  lab_home t;
  const auto& cli = t.home.cli();
  const std::string first = t.run(cli, t.apply(t.profile)).out_json()["run_id"];
  const std::string second = t.run(cli, t.apply(t.profile_b)).out_json()["run_id"];

  CHECK(t.run(cli, lab_home::rollback_last()).out_json()["rolls_back"] == second);
  json runs = t.history(cli);
  CHECK(runs[0]["rolled_back"] == "no");
  CHECK(runs[1]["rolled_back"] == "yes");

  CHECK(t.run(cli, lab_home::rollback_last()).out_json()["rolls_back"] == first);
  CHECK(smharden::test::lab_hashes(t.home.lab()) == t.original);

  const json again = t.run(cli, lab_home::rollback_last()).out_json();
  CHECK(again["nothing_to_do"] == true);
  CHECK_THAT(again["notices"][0].get<std::string>(), Catch::Contains("rolled back already"));
  CHECK(smharden::test::lab_hashes(t.home.lab()) == t.original);
  check_history_true(t, cli);
}

TEST_CASE("with --wait-lock the second apply waits for the first and then finds nothing left to change") {
  lab_home t;
  process_run a;
  process_run b;
  a.cli = b.cli = &t.home.cli();
  a.args = b.args = t.apply(t.profile);
  for (auto* p : {&a, &b}) p->args.insert(p->args.end(), {"--wait-lock", "120"});
  const race_result r = race(a, b, {t.home.state() / "run.lock"}, std::chrono::milliseconds(500));
  REQUIRE(r.holder != 0);
  const process_run& holder = r.holder == a.pid ? a : b;
  const process_run& waiter = r.holder == a.pid ? b : a;
  INFO(holder.result.out << holder.result.err << waiter.result.out << waiter.result.err);
  REQUIRE(holder.result.exit_code == 0);
  REQUIRE(waiter.result.exit_code == 0);
  CHECK_THAT(waiter.result.err, Catch::Contains("waiting up to 120 s for the run lock"));
  CHECK_THAT(waiter.result.err, Catch::Contains("pid " + std::to_string(r.holder)));
  // One after the other: the holder changed the lab, the waiter found it compliant.
  CHECK(holder.result.out_json()["journal"]["changes_journaled"].get<int>() > 0);
  CHECK(waiter.result.out_json()["journal"]["changes_journaled"].get<int>() == 0);
}

TEST_CASE("check takes no lock: it runs while another run holds the state folder's and the lab's locks") {
  lab_home t;
  smharden::core::run_lock_settings s;
  s.state_dir = t.home.state();
  s.run_id = "HOLDER-RUN";
  s.command = "apply";
  smharden::core::run_lock held(s);
  services_target_lock(held, t.home.lab());
  const cli_result checked = t.home.cli().run(
      {"check", "--format", "json", "--profile", t.profile.string(), "--target", t.home.target()}, churn_env);
  INFO(checked.out << checked.err);
  CHECK(checked.exit_code == 3);  // drift: the lab is fresh
  const cli_result applied = t.home.cli().run(t.apply(t.profile), churn_env);
  CHECK(applied.exit_code == 1);
  CHECK_THAT(applied.err, Catch::Contains("run HOLDER-RUN"));
  CHECK(smharden::test::lab_hashes(t.home.lab()) == t.original);
}

TEST_CASE("apply and rollback on an offline copy are refused with exit 2 and the copy is unchanged") {
  smharden::test::cli_lab home{"smharden-offline-ro", SAFETY_PLUGIN_DIR};
  const fs::path copy = home.root() / "offline";
  fs::copy(home.lab(), copy, fs::copy_options::recursive);
  const auto before = smharden::test::hash_tree(copy);
  const fs::path profile = home.write_json("profile.json", churn_profile("safety-churn"));
  const cli_result applied = home.cli().run(
      {"apply", "--yes", "--profile", profile.string(), "--target", "offline:" + copy.string()}, churn_env);
  CHECK(applied.exit_code == 2);
  CHECK_THAT(applied.err, Catch::Contains("offline copies are read-only"));
  CHECK_THAT(applied.err, Catch::Contains("auditor's evidence"));
  CHECK_THAT(applied.err, Catch::Contains("smharden check --target offline:" + copy.string()));
  const cli_result rolled = home.cli().run({"rollback", "--last", "--target", "offline:" + copy.string()}, churn_env);
  CHECK(rolled.exit_code == 2);
  CHECK_THAT(rolled.err, Catch::Contains("rollback refused"));
  CHECK(smharden::test::hash_tree(copy) == before);
  CHECK_FALSE(fs::exists(home.state() / "runs"));
  // A check still reads it.
  CHECK(home.cli()
            .run({"check", "--profile", profile.string(), "--target", "offline:" + copy.string()}, churn_env)
            .exit_code == 3);
}
