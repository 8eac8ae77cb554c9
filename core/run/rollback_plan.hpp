// What a rollback has left to do, read from the journals before anything is
// touched: the apply run's mutations not yet undone (newest last), the files
// it backed up and not yet settled, the restarts it did, and what earlier
// (perhaps interrupted) rollbacks of the same run left behind.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "run/journaled_run.hpp"
#include "run/rollback_state.hpp"
#include "run/run_folder.hpp"

namespace smharden::journal {

struct rollback_plan {
  journaled_run run;                                ///< the apply run to undo
  rollback_state state;                             ///< what earlier rollbacks undid
  std::set<std::string> only;                       ///< steps to undo; empty = all
  std::vector<const journaled_mutation*> pending;   ///< mutations left to undo, oldest first
  std::vector<const journaled_mutation*> restarts;  ///< restarts the run did (step "engine")
  /// Changes that carried a rotated service password: never undone (password_rotation.hpp).
  std::vector<const journaled_mutation*> rotation_kept;
  std::vector<const journaled_file*> pending_files;    ///< files left to compare / restore
  std::map<std::string, std::set<std::string>> known;  ///< per file: every state this run or its rollbacks left
  bool earlier_rollback_died = false;                  ///< its last writes may be unrecorded: trust the backups
  std::set<std::int64_t> started_by_earlier;           ///< undos an earlier (interrupted) rollback began
  std::vector<std::string> notices;

  /// True when there is an undo call to replay or a file to settle.
  bool has_work() const;
};

/// Reads run `run_id` in `state_dir`. Throws core::usage_error for an unknown run, a rollback run,
/// or --only steps the run did not change; core::runtime_error for a damaged journal.
/// The plan points into its own `run`: it must not be copied.
void load_rollback_plan(rollback_plan& plan, const std::filesystem::path& state_dir, const std::string& run_id,
                        const std::vector<std::string>& only);

}  // namespace smharden::journal
