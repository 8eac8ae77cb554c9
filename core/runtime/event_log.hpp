// The audit trail's copy in the Windows Event Log (Application log, source
// "smharden"). Each audit record (a journaled run's start and end, each
// change, a rollback's start and end, each override) maps to one entry: an
// event id, a level and a text (event_log_entry_for; the ids are listed in
// docs/event-log.md). The mapping is plain code tested on every OS; only
// writing the entry is Windows-specific (event_log_win32.cpp, through spdlog's
// win_eventlog_sink). Elsewhere there is no writer.
#pragma once

#include <smharden/plugin_abi.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace smharden::core {

/// The event source smharden writes under in the Application log.
inline constexpr const char* event_log_source = "smharden";

/// Event ids (docs/event-log.md).
enum class event_id : std::uint16_t {
  apply_started = 1000,
  apply_ended = 1001,
  apply_ended_with_drift = 1002,
  apply_failed = 1003,
  change_made = 1010,
  change_failed = 1011,
  rollback_started = 1020,
  rollback_ended = 1021,
  rollback_incomplete = 1022,
  override_used = 1030,
  rotation_started = 1040,
  rotation_completed = 1041,
};

struct event_log_entry {
  event_id id = event_id::apply_started;
  smh_log_level level = SMH_LOG_INFO;  ///< INFO: Information, WARN: Warning, ERROR: Error
  std::string text;
};

/// The entry for the audit record `type` with `fields` (a journal record: run_start, mutation,
/// mutation_done, run_end, rotation_start, rotation_end; or "override" with {"what"}) of run `run_id` in `mode`
/// ("apply" or "rollback"); nullopt for records that are not part of the audit trail (file states, steps, ...).
std::optional<event_log_entry> event_log_entry_for(const std::string& mode, const std::string& run_id,
                                                   const std::string& type, const nlohmann::json& fields);

/// Writes entries to an event log. Never throws: the Event Log is a copy of the audit trail, and
/// what it cannot take never stops a run.
class event_log_writer {
 public:
  event_log_writer() = default;
  event_log_writer(const event_log_writer&) = delete;
  event_log_writer& operator=(const event_log_writer&) = delete;
  virtual ~event_log_writer() = default;
  virtual void write(const event_log_entry& entry) noexcept = 0;
};

/// Windows: a writer to the Application log under event_log_source. Other systems: nullptr.
std::unique_ptr<event_log_writer> make_windows_event_log();

}  // namespace smharden::core
