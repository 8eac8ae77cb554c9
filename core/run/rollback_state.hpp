// What later rollbacks did to an apply run, derived from the journals: each
// rollback run journals an "undone" record once a step's undo calls are
// committed and a "file_settled" record once a file is back to (or found
// at) its state before the run. A rollback that died part way leaves exactly
// the records of what it finished, so `smharden history` and `rollback
// --last` stay true after a crash during a rollback. Runs rolled back by an
// older smharden (before these records) keep their runs/<id>/rollback.json,
// which is read as well.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "run/journal_file.hpp"
#include "run/run_folder.hpp"

namespace smharden::journal {

struct rollback_state {
  std::set<std::int64_t> undone_seqs;   ///< mutation records whose undo was replayed and committed
  std::set<std::string> settled_files;  ///< files restored, removed, or found identical to their backup
  json history = json::array();         ///< [{rollback_run, at, only, reason, complete}], oldest first
  std::size_t undoable = 0;             ///< changes a rollback can undo: mutations with undo calls, and files
  bool complete = false;                ///< every one of them is undone

  /// "yes", "partly", "no", or "n/a" (the run changed nothing)
  std::string label(std::size_t mutations) const;
};

/// The rollback state of apply run `apply` from its journal and the journals of `rollbacks` (every
/// rollback run whose run_start names it), plus a legacy rollback.json in its folder. Throws
/// core::runtime_error when that rollback.json is damaged.
rollback_state derive_rollback_state(const run_folder& apply, const journal_contents& apply_journal,
                                     const std::vector<const journal_contents*>& rollbacks);

/// The same, reading the journals in `state_dir`.
rollback_state rollback_state_of(const std::filesystem::path& state_dir, const run_folder& apply);

}  // namespace smharden::journal
