// Rollback: undoes an apply run's changes from its journal. Undo calls are
// replayed newest first through the mutation gate and the same services the
// apply used (built for the journaled target), grouped per step and committed
// per step; then every file the run backed up is compared by sha256 and
// restored from its backup when the replay did not give it back byte for
// byte; then the run's restarts are done again. The rollback journals itself
// into its own run folder (mode "rollback"), with what it undid
// (rollback_state.hpp), so a second rollback does nothing and says so.
#pragma once

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run/run_context.hpp"

namespace smharden::journal {

using json = nlohmann::json;

struct rollback_request {
  std::string run_id;             ///< the apply run to undo
  bool last = false;              ///< instead of run_id: the newest apply run with changes not yet rolled back
  std::vector<std::string> only;  ///< steps to undo; empty = all
  std::string target_spec;        ///< --target; empty = the one in the journal
  bool restart = true;            ///< redo the restarts the run did, so the old settings take effect
  std::string reason = "operator";
  std::chrono::seconds wait_lock{0};  ///< --wait-lock: how long to wait for another run's lock (run_lock.hpp)
};

struct rollback_result {
  std::string rollback_run_id;  ///< empty when there was nothing to do
  bool nothing_to_do = false;
  bool complete = false;  ///< every selected change is undone
  /// The rollback report (also written to runs/<rollback id>/report.json):
  /// run_id, mode, rolls_back, only, target, reason, undone[], failed[],
  /// files[], restarts[], notices[], complete, run_rolled_back, exit_code.
  json report;
  int exit_code = 0;  ///< 0, or 4 when something could not be undone
};

/// Takes the run lock of ctx.state_dir before it reads a journal, and the target's before it touches
/// the target (run_lock.hpp). Throws core::usage_error for an unknown run, a rollback run, --last with
/// no apply run, --only steps the run did not change, or an offline target (read-only);
/// core::runtime_error when another run holds a lock, the journal is damaged or the target's services
/// cannot be built.
rollback_result run_rollback(core::run_context& ctx, const rollback_request& request);

/// The same for a caller that holds both locks already: an apply's automatic rollback.
rollback_result run_rollback_holding_lock(core::run_context& ctx, const rollback_request& request);

/// Removes leftovers of interrupted atomic writes (".<name>.smharden-*.tmp")
/// beside `file`; returns how many were removed.
std::size_t remove_stale_temp_files(const std::filesystem::path& file);

}  // namespace smharden::journal
