// The run_observer that keeps a run's journal: every record is durable before
// the engine goes on (write-ahead). Records (one JSON object per line, all
// with "type" and "at"; format in docs/safety.md):
//
//   run_start      mode, run_id, profile, target, target_spec, started_ns, ...
//   mutation       seq, step, method, params, undo [{method, params}], needs_secrets, description
//   mutation_done  seq, ok            (absent when the process died during the call)
//   file_backup    seq_file, step, path, existed, sha256_before, size, backup (relative to the run folder)
//   file_state     step, path, sha256 (a backed-up file changed during the step; null = deleted)
//   step_end       step, status
//   interrupt      after_seq         (Ctrl-C / SIGTERM: no mutating call ran after this)
//   run_end        outcome, exit_code, ...
// plus free-form records from the CLI (health, auto_rollback, undo_start, ...).
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "run/fault_injector.hpp"
#include "run/journal_file.hpp"
#include "run/run_folder.hpp"
#include "run/run_observer.hpp"
#include "runtime/audit_log.hpp"
#include "runtime/redactor.hpp"

namespace smharden::journal {

class journal_observer final : public core::run_observer {
 public:
  /// Creates the run folder and its journal. `mode` is "apply" or "rollback".
  /// `cancel` (may be null): once set, further mutating calls are refused and
  /// the interruption is journaled.
  journal_observer(run_folder run, const core::redactor& redact, std::string mode,
                   const std::atomic<bool>* cancel = nullptr);

  /// Opens the journal of a run whose writer died (the worker of a supervised apply) to append
  /// its end: drops a torn last line and counts the mutations already journaled.
  static std::unique_ptr<journal_observer> reopen(run_folder run, const core::redactor& redact);

  /// Appends {"type": type, "at": now, ...fields}; durable when it returns. The audit records
  /// among them (run_start, mutation, run_end, ...) then also go to `log` given to audit_to().
  void record(const std::string& type, json fields = json::object());
  /// Sends the audit records to `log`'s event log (audit_log::record) from now on.
  void audit_to(core::audit_log* log) noexcept { audit_ = log; }

  void before_mutation(const std::string& step, const std::string& method, const json& params,
                       const services::undo_record& undo) override;
  void after_mutation(const std::string& step, const std::string& method, bool ok) override;
  void before_file_write(const std::string& step, const std::filesystem::path& file) override;
  void file_written(const std::string& step, const std::filesystem::path& file,
                    const std::optional<std::string>& sha256) override;
  void step_finished(const std::string& step, const std::string& status) override;

  /// Journals file_state records for backed-up files changed since the last
  /// step ended (e.g. by the engine's restarts, which are not a step). A file
  /// whose every write was reported (file_written) is not read; one written
  /// since its last report is read and hashed.
  void note_file_changes(const std::string& step);

  const run_folder& folder() const noexcept { return run_; }
  std::int64_t mutations() const noexcept { return seq_; }
  bool interrupted() const noexcept { return interrupted_; }

 private:
  struct tracked_file {
    bool exists = false;
    std::string sha256;  ///< as last journaled ("" when it does not exist)
    /// What the last write reported ("" when removed); nullopt while a write is
    /// announced and not reported (the file must be read to know it).
    std::optional<std::string> reported;
  };
  run_folder run_;
  const core::redactor& redact_;
  std::string mode_;
  const std::atomic<bool>* cancel_;
  const fault_injector* faults_;  ///< crash tests only; null in the installed binary
  core::audit_log* audit_ = nullptr;
  std::unique_ptr<journal_writer> writer_;
  std::int64_t seq_ = 0;
  bool open_call_ = false;
  bool interrupted_ = false;
  std::size_t backups_ = 0;
  std::map<std::string, tracked_file> files_;
};

/// Absolute, normalized form used for paths in the journal.
std::filesystem::path journal_path(const std::filesystem::path& file);

/// sha256 of a file's bytes, or "" when it does not exist. Throws on read errors.
std::string file_sha256(const std::filesystem::path& file);

}  // namespace smharden::journal
