// The run's audit trail: every line goes, redacted, to a log file in the
// state directory, and to stderr when the console asks for that level. The
// audit records (a run's start and end, each change, each override) also go
// to an event log when one is set (the Windows Event Log: event_log.hpp).
#pragma once

#include <smharden/plugin_abi.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "runtime/event_log.hpp"
#include "runtime/redactor.hpp"

namespace spdlog {
class logger;
}

namespace smharden::core {

class audit_log {
 public:
  /// file: empty = no file (e.g. `smharden list`). console_level: the least
  /// severe level echoed to stderr.
  audit_log(const redactor& redact, const std::filesystem::path& file, smh_log_level console_level);
  ~audit_log();
  audit_log(const audit_log&) = delete;
  audit_log& operator=(const audit_log&) = delete;

  void write(smh_log_level level, const std::string& message) noexcept;
  /// The audit record `type` with `fields` of run `run_id` in `mode` (event_log_entry_for) to the
  /// event log, redacted; nothing when no event log is set or the record is not part of the trail.
  void record(const std::string& mode, const std::string& run_id, const std::string& type,
              const nlohmann::json& fields) noexcept;
  /// Where record() writes (null: nowhere).
  void set_event_log(std::unique_ptr<event_log_writer> writer) noexcept { event_log_ = std::move(writer); }
  const std::filesystem::path& file() const noexcept { return file_; }

 private:
  const redactor& redact_;
  std::filesystem::path file_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<event_log_writer> event_log_;
};

}  // namespace smharden::core
