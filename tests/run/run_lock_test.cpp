// The run lock itself, in one process: an OS lock per file that a second
// open cannot take, a holder record that readers parse (and tolerate half
// written), the state folder's and the target's locks, and waiting. Also what
// a target is allowed: offline copies are read-only; a target file's kind.
#include <catch2/catch.hpp>

#include <fstream>
#include <thread>

#include "base/errors.hpp"
#include "run/run_lock.hpp"
#include "services/target.hpp"
#include "temp_dir.hpp"

using smharden::core::lock_holder;
using smharden::core::os_file_lock;
using smharden::core::read_lock_holder;
using smharden::core::run_lock;
using smharden::core::run_lock_settings;
namespace services = smharden::services;
namespace fs = std::filesystem;

namespace {

run_lock_settings settings_for(const fs::path& state, const std::string& run_id, int wait_seconds = 0) {
  run_lock_settings s;
  s.state_dir = state;
  s.run_id = run_id;
  s.command = "apply";
  s.wait = std::chrono::seconds(wait_seconds);
  return s;
}

services::target lab_at(const fs::path& root) {
  services::target t;
  t.kind = services::target_kind::lab;
  t.root = root;
  return t;
}

std::string refusal(const std::function<void()>& take) {
  try {
    take();
  } catch (const smharden::core::runtime_error& e) {
    CHECK(e.code() == smharden::core::exit_code::runtime);
    return e.what();
  }
  FAIL("the second lock was taken while the first was held");
  return {};
}

}  // namespace

TEST_CASE("an OS file lock excludes a second open of the same file until it is released") {
  smharden::test::temp_dir dir("smharden-run-lock");
  const fs::path file = dir.path() / "x.lock";
  auto first = os_file_lock::try_lock(file);
  REQUIRE(first);
  CHECK(os_file_lock::try_lock(file) == nullptr);
  first->write_record(R"({"pid": 4242, "run_id": "R1", "command": "apply", "started_at": "T1"})");
  const lock_holder h = read_lock_holder(file);  // readable while held
  CHECK(h.known);
  CHECK(h.pid == 4242);
  CHECK(h.run_id == "R1");
  CHECK(h.describe() == "pid 4242, apply run R1, started T1");
  first.reset();
  CHECK_FALSE(read_lock_holder(file).known);  // cleared on release
  CHECK(os_file_lock::try_lock(file) != nullptr);
}

TEST_CASE("a half-written, empty or missing holder record reads as unknown, never as an error") {
  smharden::test::temp_dir dir("smharden-run-lock");
  CHECK_FALSE(read_lock_holder(dir.path() / "missing.lock").known);
  CHECK_FALSE(read_lock_holder(dir.write("empty.lock", "")).known);
  CHECK_FALSE(read_lock_holder(dir.write("half.lock", R"({"pid": 42, "run_id": "2026)")).known);
  CHECK_FALSE(read_lock_holder(dir.write("nopid.lock", R"({"run_id": "x"})")).known);
  CHECK(read_lock_holder(dir.write("whole.lock", R"({"pid": 42})")).known);
}

TEST_CASE("a second run on the same state folder is refused at once, naming the holder and --wait-lock") {
  smharden::test::temp_dir dir("smharden-run-lock");
  const fs::path state = dir.path() / "state";
  run_lock first(settings_for(state, "RUN-A"));
  const std::string why = refusal([&] { run_lock second(settings_for(state, "RUN-B")); });
  CHECK_THAT(why, Catch::Contains("apply refused"));
  CHECK_THAT(why, Catch::Contains("the state folder " + state.string()));
  CHECK_THAT(why, Catch::Contains("run RUN-A"));
  CHECK_THAT(why, Catch::Contains("pid "));
  CHECK_THAT(why, Catch::Contains("started 20"));
  CHECK_THAT(why, Catch::Contains("--wait-lock SECONDS"));
  CHECK_THAT(why, Catch::Contains("nothing was changed"));
}

TEST_CASE("two state folders on one lab: the lab's own lock lets one run at a time") {
  smharden::test::temp_dir dir("smharden-run-lock");
  const fs::path lab = dir.path() / "lab";
  fs::create_directories(lab);
  run_lock first(settings_for(dir.path() / "state-1", "RUN-A"));
  first.lock_target(lab_at(lab));
  run_lock second(settings_for(dir.path() / "state-2", "RUN-B"));  // its own state folder is free
  const std::string why = refusal([&] { second.lock_target(lab_at(lab)); });
  CHECK_THAT(why, Catch::Contains("the target lab:" + lab.string()));
  CHECK_THAT(why, Catch::Contains("run RUN-A"));
  CHECK(fs::exists(lab / ".smharden-run.lock"));

  // Another lab is another target.
  const fs::path other = dir.path() / "other-lab";
  fs::create_directories(other);
  second.lock_target(lab_at(other));
}

TEST_CASE("an offline target has no lock (it is never changed), local has a machine-wide one") {
  services::target offline;
  offline.kind = services::target_kind::offline;
  offline.root = "/somewhere";
  CHECK_FALSE(smharden::core::target_lock_file(offline));
  services::target local;
  local.kind = services::target_kind::local;
  const auto file = smharden::core::target_lock_file(local);
  REQUIRE(file);
  CHECK(file->filename() == "local.lock");
}

TEST_CASE("with --wait-lock a run waits for the holder to finish, then takes the lock") {
  smharden::test::temp_dir dir("smharden-run-lock");
  const fs::path state = dir.path() / "state";
  auto first = std::make_unique<run_lock>(settings_for(state, "RUN-A"));
  std::string told;
  run_lock_settings waiting = settings_for(state, "RUN-B", 60);
  waiting.on_wait = [&](const std::string& line) { told = line; };
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    first.reset();
  });
  run_lock second(std::move(waiting));
  release.join();
  CHECK_THAT(told, Catch::Contains("waiting up to 60 s"));
  CHECK_THAT(told, Catch::Contains("run RUN-A"));
  CHECK(read_lock_holder(state / "run.lock").run_id == "RUN-B");
}

TEST_CASE("Ctrl-C while waiting for the lock stops the wait with the holder named") {
  smharden::test::temp_dir dir("smharden-run-lock");
  const fs::path state = dir.path() / "state";
  run_lock first(settings_for(state, "RUN-A"));
  std::atomic<bool> cancel{true};
  run_lock_settings waiting = settings_for(state, "RUN-B", 3600);
  waiting.cancel = &cancel;
  const std::string why = refusal([&] { run_lock second(std::move(waiting)); });
  CHECK_THAT(why, Catch::Contains("Interrupted while waiting"));
  CHECK_THAT(why, Catch::Contains("run RUN-A"));
}

TEST_CASE("apply and rollback refuse an offline target: it is an auditor's copy") {
  services::target t;
  t.kind = services::target_kind::offline;
  t.root = "/audit/copy";
  for (const char* command : {"apply", "rollback"}) {
    try {
      services::require_changeable(t, command);
      FAIL("an offline target was accepted for " << command);
    } catch (const smharden::core::usage_error& e) {
      const std::string why = e.what();
      CHECK(e.code() == smharden::core::exit_code::usage);
      CHECK_THAT(why, Catch::StartsWith(std::string(command) + " refused"));
      CHECK_THAT(why, Catch::Contains("read-only"));
      CHECK_THAT(why, Catch::Contains("auditor's evidence"));
      CHECK_THAT(why, Catch::Contains("smharden check --target offline:/audit/copy"));
    }
  }
  services::require_changeable(lab_at("/lab"), "apply");
  services::target local;
  local.kind = services::target_kind::local;
  services::require_changeable(local, "apply");
}

TEST_CASE("a target file says its kind: local is this machine, lab and offline a folder, anything else an error") {
  smharden::test::temp_dir dir("smharden-target-file");
  const auto local = services::parse_target(
      dir.write("local.json", R"({"kind": "local", "smartermail": {"url": "https://mail.example.net:9998"}})")
          .string());
  CHECK(local.kind == services::target_kind::local);
  CHECK(local.root.empty());
  CHECK(local.describe() == "local");
  CHECK(local.service_config("smartermail")["url"] == "https://mail.example.net:9998");

  fs::create_directories(dir.path() / "copy");
  const auto offline =
      services::parse_target(dir.write("offline.json", R"({"kind": "offline", "root": "copy"})").string());
  CHECK(offline.kind == services::target_kind::offline);
  CHECK(offline.root == fs::absolute(dir.path() / "copy").lexically_normal());

  const auto lab = services::parse_target(dir.write("lab.json", R"({"kind": "lab", "root": "copy"})").string());
  CHECK(lab.kind == services::target_kind::lab);

  for (const auto& [name, text] :
       std::vector<std::pair<std::string, std::string>>{{"remote.json", R"({"kind": "remote"})"},
                                                        {"none.json", R"({"smartermail": {}})"},
                                                        {"num.json", R"({"kind": 1})"}}) {
    const fs::path file = dir.write(name, text);
    try {
      services::parse_target(file.string());
      FAIL(name << " was accepted");
    } catch (const smharden::core::profile_error& e) {
      const std::string why = e.what();
      CHECK_THAT(why, Catch::Contains(file.string()));
      CHECK_THAT(why, Catch::Contains("/kind"));
      CHECK_THAT(why, Catch::Contains("\"local\""));
      CHECK_THAT(why, Catch::Contains("\"lab\""));
      CHECK_THAT(why, Catch::Contains("\"offline\""));
    }
  }
}

TEST_CASE("a target file's root must be a folder path: any other type is an error naming the file and /root") {
  smharden::test::temp_dir dir("smharden-target-root");
  for (const char* root : {"1", "null", "[\"copy\"]", "{}", "true"}) {
    const fs::path file = dir.write("lab.json", std::string(R"({"kind": "lab", "root": )") + root + "}");
    INFO(root);
    try {
      services::parse_target(file.string());
      FAIL("accepted");
    } catch (const smharden::core::profile_error& e) {
      CHECK_THAT(e.what(), Catch::Contains(file.string()) && Catch::Contains("/root must be a folder path"));
    }
  }
}
