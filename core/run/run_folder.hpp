// The layout of one run's folder in the state directory, and what
// `smharden history` and `rollback --last` read from it:
//
//   runs/<run_id>/journal.jsonl   write-ahead journal (journal_file.hpp)
//   runs/<run_id>/report.json     the run's report (written at the end)
//   runs/<run_id>/backups/        copies of files before their first change
//   runs/<run_id>/rollback.json   which changes later rollbacks undid (written by older versions;
//                                 rollback_state.hpp derives it from the journals)
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace smharden::journal {

using json = nlohmann::json;

struct run_folder {
  std::filesystem::path dir;

  std::string id() const { return dir.filename().string(); }
  std::filesystem::path journal() const { return dir / "journal.jsonl"; }
  std::filesystem::path report() const { return dir / "report.json"; }
  std::filesystem::path backups() const { return dir / "backups"; }
  std::filesystem::path rollback_state() const { return dir / "rollback.json"; }
};

/// state_dir/runs
std::filesystem::path runs_dir(const std::filesystem::path& state_dir);

/// One line of `smharden history`.
struct run_summary {
  std::string id;
  std::string mode;  ///< apply | rollback
  std::string profile;
  std::string target;
  std::string started_at;
  std::int64_t started_ns = 0;  ///< for ordering runs started within the same second
  std::string outcome;          ///< from the run_end record, or "incomplete" when the run never ended
  int exit_code = -1;
  std::size_t mutations = 0;  ///< mutating calls journaled (restarts included)
  std::string rolled_back;    ///< no | partly | yes | n/a, from the rollbacks' journals (rollback_state.hpp)
  std::string rolls_back;     ///< rollback runs: the run they undid
  bool torn_tail = false;
  std::string problem;  ///< why the journal could not be read, if so

  json to_json() const;
};

/// Every run folder with a journal, oldest first.
std::vector<run_summary> list_runs(const std::filesystem::path& state_dir);

/// The most recent apply run that changed something not yet rolled back (or whose journal cannot be
/// read), or nullopt.
std::optional<run_summary> last_apply_run(const std::filesystem::path& state_dir);

}  // namespace smharden::journal
