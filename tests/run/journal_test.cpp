// Journal file format, torn-line tolerance, secret masking, and what the
// journal observer writes before and after each change.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>

#include "base/atomic_file.hpp"
#include "cli_runner.hpp"
#include "lab_files.hpp"
#include "run/journal_file.hpp"
#include "run/journal_observer.hpp"
#include "run/journaled_run.hpp"
#include "run/run_folder.hpp"
#include "runtime/redactor.hpp"
#include "runtime/secret_masking.hpp"
#include "services/service_registry.hpp"
#include "temp_dir.hpp"

using smharden::journal::journal_observer;
using smharden::journal::journal_writer;
using smharden::journal::read_journal;
using smharden::journal::run_folder;
using json = nlohmann::json;

namespace {

std::vector<std::string> lines_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("journal records are one JSON object per line, and read back in order") {
  smharden::test::temp_dir dir("smharden-safety-journal");
  const auto file = dir.path() / "journal.jsonl";
  {
    journal_writer w(file);
    w.append({{"type", "a"}, {"text", "line\nbreak \"quoted\""}});
    w.append({{"type", "b"}, {"n", 2}});
    CHECK(w.records_written() == 2);
  }
  const auto lines = lines_of(file);
  REQUIRE(lines.size() == 2);
  CHECK(json::parse(lines[0])["text"] == "line\nbreak \"quoted\"");
  const auto contents = read_journal(file);
  REQUIRE(contents.records.size() == 2);
  CHECK_FALSE(contents.torn_tail);
  CHECK(contents.records[1]["n"] == 2);

  // Reopening appends; nothing already written changes.
  {
    journal_writer w(file);
    w.append({{"type", "c"}});
  }
  CHECK(read_journal(file).records.size() == 3);
}

TEST_CASE("a torn last line (killed mid-write) is skipped, damage elsewhere is an error naming the line") {
  smharden::test::temp_dir dir("smharden-safety-torn");
  const auto file = dir.path() / "journal.jsonl";
  {
    journal_writer w(file);
    w.append({{"type", "mutation"}, {"seq", 1}});
    w.append_torn_for_test({{"type", "mutation"}, {"seq", 2}, {"params", {{"x", "yyyyyyyyyyyy"}}}});
  }
  auto contents = read_journal(file);
  CHECK(contents.torn_tail);
  REQUIRE(contents.records.size() == 1);
  CHECK(contents.records[0]["seq"] == 1);

  // A complete JSON object without its newline is torn too: the writer always ends a record with one.
  {
    std::ofstream out(file, std::ios::trunc);
    out << R"({"type":"run_start"})"
        << "\n"
        << R"({"type":"mutation","seq":1})";
  }
  contents = read_journal(file);
  CHECK(contents.torn_tail);
  CHECK(contents.records.size() == 1);

  {
    std::ofstream out(file, std::ios::trunc);
    out << R"({"type":"run_start"})"
        << "\n"
        << R"({"type":"mut)"
        << "\n"
        << R"({"type":"run_end"})"
        << "\n";
  }
  try {
    read_journal(file);
    FAIL("a damaged middle line must not be skipped silently");
  } catch (const std::exception& e) {
    CHECK_THAT(e.what(), Catch::Contains("line 2"));
    CHECK_THAT(e.what(), Catch::Contains(file.string()));
  }
}

TEST_CASE("secret masking keeps secret names and hides secret values") {
  smharden::core::redactor redact;
  redact.add("hunter2-very-secret");
  const json params = {{"name", "svc"},
                       {"password_secret", "svc_password"},
                       {"password", "plain-text"},
                       {"nested", {{"Token", "abc"}, {"note", "was hunter2-very-secret before"}}},
                       {"list", {{{"api_key", "k"}}}}};
  const json masked = smharden::journal::mask_secrets(params, redact);
  CHECK(masked["password_secret"] == "svc_password");
  CHECK(masked["password"] == "***");
  CHECK(masked["nested"]["Token"] == "***");
  CHECK(masked["nested"]["note"] == "was *** before");
  CHECK(masked["list"][0]["api_key"] == "***");
  CHECK(masked["name"] == "svc");
  CHECK(masked.dump().find("hunter2") == std::string::npos);
}

TEST_CASE("the observer journals each mutation before it runs, with its undo, and its outcome after") {
  smharden::test::temp_dir dir("smharden-safety-observer");
  smharden::core::redactor redact;
  redact.add("s3cr3t-value");
  run_folder run{dir.path() / "runs" / "r1"};
  journal_observer obs(run, redact, "apply");
  obs.record("run_start", {{"mode", "apply"}, {"target_spec", "lab:/x"}});

  smharden::services::undo_record undo;
  undo.calls = json::array({{{"method", "x.thing.set"}, {"params", {{"value", "old"}}}}});
  undo.needs_secrets = {"old_password"};
  undo.description = "set thing back";
  obs.before_mutation("step-a", "x.thing.set", {{"value", "new"}, {"password", "s3cr3t-value"}}, undo);

  // Write-ahead: the record is on disk before the call runs.
  auto records = read_journal(run.journal()).records;
  REQUIRE(records.size() == 2);
  const json& m = records[1];
  CHECK(m["type"] == "mutation");
  CHECK(m["seq"] == 1);
  CHECK(m["step"] == "step-a");
  CHECK(m["method"] == "x.thing.set");
  CHECK(m["params"]["value"] == "new");
  CHECK(m["params"]["password"] == "***");
  CHECK(m["undo"] == undo.calls);
  CHECK(m["needs_secrets"] == json::array({"old_password"}));
  CHECK_FALSE(m.contains("undo_redacted"));
  CHECK(records[1].dump().find("s3cr3t") == std::string::npos);

  obs.after_mutation("step-a", "x.thing.set", true);
  records = read_journal(run.journal()).records;
  CHECK(records.back()["type"] == "mutation_done");
  CHECK(records.back()["seq"] == 1);
  CHECK(records.back()["ok"] == true);

  // An undo that would need a masked value is flagged: replaying "***" would be wrong.
  smharden::services::undo_record leaky;
  leaky.calls = json::array({{{"method", "x.user.set"}, {"params", {{"password", "s3cr3t-value"}}}}});
  obs.before_mutation("step-a", "x.user.set", json::object(), leaky);
  records = read_journal(run.journal()).records;
  CHECK(records.back()["undo_redacted"] == true);
  CHECK(records.back().dump().find("s3cr3t") == std::string::npos);
  CHECK(obs.mutations() == 2);
}

TEST_CASE("the observer backs up a file once, before its first change, and notes later changes per step") {
  smharden::test::temp_dir dir("smharden-safety-backup");
  smharden::core::redactor redact;
  run_folder run{dir.path() / "runs" / "r2"};
  const auto file = dir.path() / "lab" / "state.json";
  std::filesystem::create_directories(file.parent_path());
  smharden::util::write_file_atomic(file, "{\"v\": 1}\n");
  const auto created = dir.path() / "lab" / "new.json";

  journal_observer obs(run, redact, "apply");
  obs.record("run_start", {{"mode", "apply"}, {"target_spec", "lab:/x"}});
  obs.before_file_write("step-a", file);
  smharden::util::write_file_atomic(file, "{\"v\": 2}\n");
  obs.before_file_write("step-a", file);  // second write in the run: no new backup
  obs.before_file_write("step-a", created);
  smharden::util::write_file_atomic(created, "{}\n");
  obs.step_finished("step-a", "applied");
  obs.before_file_write("step-b", file);
  smharden::util::write_file_atomic(file, "{\"v\": 3}\n");
  obs.step_finished("step-b", "applied");

  const auto jr = smharden::journal::load_journaled_run(run);
  REQUIRE(jr.files.size() == 2);
  const auto& f = jr.files.at(smharden::journal::journal_path(file).string());
  CHECK(f.existed);
  CHECK(f.first_step == "step-a");
  CHECK(f.steps == std::set<std::string>{"step-a", "step-b"});
  CHECK(f.sha256_before == smharden::util::sha256_hex("{\"v\": 1}\n"));
  CHECK(smharden::util::read_file(run.dir / f.backup) == "{\"v\": 1}\n");
  CHECK(f.known_sha256.count(smharden::util::sha256_hex("{\"v\": 3}\n")) == 1);
  const auto& g = jr.files.at(smharden::journal::journal_path(created).string());
  CHECK_FALSE(g.existed);
  CHECK(g.backup.empty());
  std::size_t backups = 0;
  for (const auto& r : read_journal(run.journal()).records) backups += r["type"] == "file_backup" ? 1 : 0;
  CHECK(backups == 2);
}

TEST_CASE("after an interrupt the observer refuses further changes and journals why") {
  smharden::test::temp_dir dir("smharden-safety-interrupt");
  smharden::core::redactor redact;
  std::atomic<bool> cancel{false};
  run_folder run{dir.path() / "runs" / "r3"};
  journal_observer obs(run, redact, "apply", &cancel);
  obs.before_mutation("s", "x.a.set", json::object(), {});
  obs.after_mutation("s", "x.a.set", true);
  cancel = true;
  try {
    obs.before_mutation("s", "x.b.set", json::object(), {});
    FAIL("a mutation after the interrupt must be refused");
  } catch (const smharden::services::service_error& e) {
    CHECK(e.code() == "cancelled");
  }
  CHECK_THROWS(obs.before_mutation("s", "x.c.set", json::object(), {}));
  CHECK(obs.interrupted());
  const auto records = read_journal(run.journal()).records;
  std::size_t interrupts = 0, mutations = 0;
  for (const auto& r : records) {
    interrupts += r["type"] == "interrupt" ? 1 : 0;
    mutations += r["type"] == "mutation" ? 1 : 0;
  }
  CHECK(interrupts == 1);
  CHECK(mutations == 1);
  CHECK(records.back()["after_seq"] == 1);
}
