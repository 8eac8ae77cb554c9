// The run's audit trail: every line goes, redacted, to a log file in the
// state directory, and to stderr when the console asks for that level.
#pragma once

#include <smharden/plugin_abi.h>

#include <filesystem>
#include <memory>
#include <string>

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
  const std::filesystem::path& file() const noexcept { return file_; }

 private:
  const redactor& redact_;
  std::filesystem::path file_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace smharden::core
