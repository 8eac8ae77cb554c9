// One mutating run (apply or rollback) at a time, per state folder and per
// target. A run takes the state folder's lock (<state>/run.lock) before it
// reads anything for its change, and the target's lock before it touches the
// target: a lab's in the lab's own folder (<lab>/.smharden-run.lock), the
// local machine's in a machine-wide folder (%ProgramData%\smharden\locks on
// Windows), so two state folders on one target still run one at a time. An
// offline copy is never changed, so it has no lock. Both are OS locks
// (os_file_lock.hpp): a killed run releases them. A second run is refused at
// once, naming the holder, or waits up to a given time. Checks take no lock.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "run/os_file_lock.hpp"
#include "run/run_context.hpp"
#include "services/target.hpp"

namespace smharden::core {

/// Who holds a run lock, as its lock file records it.
struct lock_holder {
  bool known = false;  ///< false while the holder has not finished writing its record
  std::int64_t pid = 0;
  std::string run_id;
  std::string command;  ///< apply | rollback
  std::string started_at;

  /// "pid 4242, apply run 20261203T101500Z-3f9a1c, started 2026-12-03T10:15:00Z".
  std::string describe() const;
};

/// Parses a lock file's record; a missing, empty or half-written record gives known = false.
lock_holder read_lock_holder(const std::filesystem::path& file);

/// The lock file of a target, or nullopt for one that is never changed (offline).
std::optional<std::filesystem::path> target_lock_file(const services::target& target);

struct run_lock_settings {
  std::filesystem::path state_dir;
  std::string run_id;                               ///< the run that takes the lock (recorded for whoever is refused)
  std::string command;                              ///< apply | rollback
  std::chrono::seconds wait{0};                     ///< --wait-lock: how long to wait for a holder; 0 = not at all
  const std::atomic<bool>* cancel = nullptr;        ///< stops the wait (Ctrl-C)
  std::function<void(const std::string&)> on_wait;  ///< told once, when the run starts waiting
};

/// The settings for a run of `ctx`: its state folder, its Ctrl-C flag, and the wait told to its audit log.
run_lock_settings lock_settings(const run_context& ctx, std::string run_id, std::string command,
                                std::chrono::seconds wait);

class run_lock {
 public:
  /// Takes the state folder's lock. Throws core::runtime_error (exit 1) naming the holder's pid, run
  /// id and start time when another run holds it past the wait.
  explicit run_lock(run_lock_settings settings);
  /// Also takes `target`'s lock (nothing for an offline target); the same errors.
  void lock_target(const services::target& target);

 private:
  void take(const std::filesystem::path& file, const std::string& what);

  run_lock_settings settings_;
  std::chrono::steady_clock::time_point deadline_;
  bool told_waiting_ = false;
  std::vector<std::unique_ptr<os_file_lock>> held_;
};

}  // namespace smharden::core
