// The journal's file states come from what the services report they wrote
// (journaled_writes, wired by core::journal_writes), not from reading the
// files again; a write announced and not reported is read at the step's end.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "base/atomic_file.hpp"
#include "run/journal_file.hpp"
#include "run/journal_observer.hpp"
#include "run/journaled_run.hpp"
#include "run/target_session.hpp"
#include "runtime/audit_log.hpp"
#include "runtime/redactor.hpp"
#include "runtime/secret_store.hpp"
#include "services/journaled_writes.hpp"
#include "services/service.hpp"
#include "temp_dir.hpp"

using smharden::journal::journal_observer;
using smharden::journal::journal_path;
using smharden::journal::read_journal;
using smharden::journal::run_folder;
using smharden::util::sha256_hex;
using json = nlohmann::json;

namespace {

/// The file_state records of the journal for `file`, in order: the sha256 or "" for null.
std::vector<std::string> states_of(const run_folder& run, const std::filesystem::path& file) {
  std::vector<std::string> out;
  for (const auto& r : read_journal(run.journal()).records) {
    if (r["type"] != "file_state" || r["path"] != journal_path(file).string()) continue;
    out.push_back(r["sha256"].is_null() ? "" : r["sha256"].get<std::string>());
  }
  return out;
}

std::size_t backups_in(const run_folder& run) {
  std::size_t n = 0;
  for (const auto& r : read_journal(run.journal()).records) n += r["type"] == "file_backup" ? 1 : 0;
  return n;
}

struct journal_lab {
  smharden::test::temp_dir dir{"smharden-run-writes"};
  smharden::core::redactor redact;
  run_folder run{dir.path() / "runs" / "r1"};
  journal_observer obs{run, redact, "apply"};
  std::filesystem::path file = dir.write("lab/state.json", "v1\n");
  journal_lab() { obs.record("run_start", {{"mode", "apply"}, {"target_spec", "lab:/x"}}); }
};

}  // namespace

TEST_CASE("a reported write is journaled with the reported sha256, without reading the file") {
  journal_lab lab;
  lab.obs.before_file_write("step-a", lab.file);
  smharden::util::write_file_atomic(lab.file, "v2\n");
  lab.obs.file_written("step-a", lab.file, sha256_hex("v2\n"));
  // Gone before the step ends: a journal that read the file would record it as deleted.
  std::filesystem::remove(lab.file);
  lab.obs.step_finished("step-a", "applied");
  CHECK(states_of(lab.run, lab.file) == std::vector<std::string>{sha256_hex("v2\n")});
}

TEST_CASE("a file announced again after its report is read at the step's end") {
  journal_lab lab;
  lab.obs.before_file_write("step-a", lab.file);
  smharden::util::write_file_atomic(lab.file, "v2\n");
  lab.obs.file_written("step-a", lab.file, sha256_hex("v2\n"));
  lab.obs.step_finished("step-a", "applied");
  lab.obs.before_file_write("step-b", lab.file);  // content unknown until reported
  smharden::util::write_file_atomic(lab.file, "v3\n");
  lab.obs.step_finished("step-b", "applied");
  CHECK(states_of(lab.run, lab.file) == std::vector<std::string>{sha256_hex("v2\n"), sha256_hex("v3\n")});
  CHECK(backups_in(lab.run) == 1);
}

TEST_CASE("a reported removal is journaled as deleted, and an unchanged report adds no record") {
  journal_lab lab;
  lab.obs.before_file_write("step-a", lab.file);
  lab.obs.file_written("step-a", lab.file, sha256_hex("v1\n"));  // rewritten with the same bytes
  lab.obs.step_finished("step-a", "applied");
  std::filesystem::remove(lab.file);
  lab.obs.file_written("step-b", lab.file, std::nullopt);
  lab.obs.step_finished("step-b", "applied");
  CHECK(states_of(lab.run, lab.file) == std::vector<std::string>{""});
}

TEST_CASE("a service's writes through the run's environment: one backup, the last write's sha256 per step") {
  journal_lab lab;
  smharden::core::secret_store secrets{lab.redact};
  smharden::core::audit_log log{lab.redact, {}, SMH_LOG_ERROR};
  std::string step = "step-a";
  auto env = smharden::core::session_env(secrets, lab.redact, log, lab.dir.path() / "state", lab.run.dir);
  smharden::core::journal_writes(env, &lab.obs, step);
  smharden::services::journaled_writes writes(env);
  const auto created = lab.dir.path() / "lab" / "new.json";

  writes.write(lab.file, "v2\n");
  writes.write(lab.file, "v3\n");
  writes.write(created, "{}\n");
  lab.obs.step_finished(step, "applied");
  step = "step-b";
  writes.remove(created);
  lab.obs.step_finished(step, "applied");

  CHECK(backups_in(lab.run) == 2);
  CHECK(states_of(lab.run, lab.file) == std::vector<std::string>{sha256_hex("v3\n")});
  CHECK(states_of(lab.run, created) == std::vector<std::string>{sha256_hex("{}\n"), ""});
  const auto jr = smharden::journal::load_journaled_run(lab.run);
  const auto& f = jr.files.at(journal_path(lab.file).string());
  CHECK(f.sha256_before == sha256_hex("v1\n"));
  CHECK(smharden::util::read_file(lab.run.dir / f.backup) == "v1\n");
  CHECK(jr.files.at(journal_path(created).string()).steps == std::set<std::string>{"step-a", "step-b"});
}

TEST_CASE("a tool's write is read back and reported, a check run's environment refuses writes") {
  journal_lab lab;
  smharden::core::secret_store secrets{lab.redact};
  smharden::core::audit_log log{lab.redact, {}, SMH_LOG_ERROR};
  const std::string step = "step-a";
  auto env = smharden::core::session_env(secrets, lab.redact, log, lab.dir.path() / "state");
  smharden::core::journal_writes(env, &lab.obs, step);
  smharden::services::journaled_writes writes(env);
  writes.write(lab.file, "v2\n");
  smharden::util::write_file_atomic(lab.file, "written by IIS\n");  // a tool the service called
  writes.report_from_disk(lab.file);
  std::filesystem::remove(lab.file);  // the report is what counts, not a later read
  lab.obs.step_finished(step, "applied");
  CHECK(states_of(lab.run, lab.file) == std::vector<std::string>{sha256_hex("written by IIS\n")});

  smharden::core::refuse_writes(env, "a check run");
  try {
    writes.write(lab.dir.path() / "other.json", "{}");
    FAIL("a refused environment must not write");
  } catch (const smharden::services::service_error& e) {
    CHECK(e.code() == "refused");
    CHECK(std::string(e.what()).find("a check run does not write") != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(lab.dir.path() / "other.json"));
}
