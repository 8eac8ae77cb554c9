// A plugin that hangs in create or destroy meets the step's timeout like one
// that hangs in check or apply; a plugin that leaves a process behind holding
// the worker's stdout and stderr does not keep the run from ending.
#include <signal.h>

#include <fstream>

#include "supervised_lab.hpp"

using smharden::test::cli_result;
using smharden::test::step_of;
using supervisor_test::json;
using supervisor_test::misbehaving;
using supervisor_test::supervised_lab;

namespace {

/// supervisor-misbehave making its change, then the plugin that hangs in `phase`.
json change_then_hang_in(const std::string& phase) {
  json steps = misbehaving("none", "none");
  steps["supervisor-hang-" + phase] = json::object();
  return steps;
}

/// Kills the background process a test plugin left (its pid is in `pid_file`); true when it was still running.
bool kill_left_behind(const std::filesystem::path& pid_file) {
  std::ifstream in(pid_file);
  pid_t pid = 0;
  if (!(in >> pid) || pid <= 0) return false;
  const bool running = ::kill(pid, 0) == 0;
  ::kill(pid, SIGKILL);
  return running;
}

}  // namespace

TEST_CASE("a plugin that hangs in create or destroy: the step's timeout ends the check, exit 4, a report naming it") {
  for (const std::string phase : {"create", "destroy"}) {
    DYNAMIC_SECTION(phase) {
      supervised_lab t(json{{"supervisor-hang-" + phase, json::object()}});
      const cli_result r = t.check();
      INFO(r.out << r.err);
      CHECK(r.signal == 0);
      REQUIRE(r.exit_code == 4);
      const json report = r.out_json();
      CHECK(report["worker"]["phase"] == phase);
      CHECK(report["worker"]["timeout_seconds"] == 1);
      const json& step = step_of(report, "supervisor-hang-" + phase);
      CHECK(step["status"] == "error");
      CHECK_THAT(step["reason"].get<std::string>(),
                 Catch::Contains(phase + " of step supervisor-hang-" + phase + " did not return within its timeout"));
      // One entry per step, also when its destroy hung after its result was reported.
      std::size_t entries = 0;
      for (const auto& s : report["steps"]) entries += s["id"] == step["id"] ? 1 : 0;
      CHECK(entries == 1);
    }
  }
}

TEST_CASE("a plugin that hangs in create or destroy during apply: exit 4, earlier changes rolled back") {
  for (const std::string phase : {"create", "destroy"}) {
    DYNAMIC_SECTION(phase) {
      supervised_lab t(change_then_hang_in(phase));
      const cli_result r = t.apply();
      INFO(r.out << r.err);
      CHECK(r.signal == 0);
      REQUIRE(r.exit_code == 4);
      const json report = r.out_json();
      CHECK(report["worker"]["phase"] == phase);
      CHECK(report["worker"]["step"] == "supervisor-hang-" + phase);
      REQUIRE(report.contains("rollback"));
      CHECK(report["rollback"]["performed"] == true);
      CHECK(report["rollback"]["complete"] == true);
      CHECK(t.restored());
    }
  }
}

TEST_CASE("a plugin leaves a process holding the worker's stdout and stderr: the run still ends with its report") {
  // "background" stays in the worker's process group; "daemon" starts a session of its own, as a
  // daemon does, and escapes the kill of the worker's group.
  for (const std::string how : {"background", "daemon"}) {
    DYNAMIC_SECTION(how) {
      smharden::test::temp_dir pids("smharden-left-behind");
      const auto pid_file = pids.path() / "pid";
      json steps = misbehaving("none", how);
      steps["supervisor-misbehave"]["params"]["pid_file"] = pid_file.string();
      supervised_lab t(steps);
      const cli_result r = t.apply();
      const bool still_running = kill_left_behind(pid_file);
      INFO(r.out << r.err);
      CHECK(r.signal == 0);
      CHECK(r.exit_code == 0);
      const json report = r.out_json();
      CHECK(step_of(report, "supervisor-misbehave")["status"] == "applied");
      CHECK_FALSE(report.contains("worker"));
      CHECK(t.changed());
      // The daemon outlived the run: the supervisor stopped reading once the worker was gone.
      if (how == "daemon") CHECK(still_running);
    }
  }
}
