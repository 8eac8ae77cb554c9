// smharden's error hierarchy. Each error carries the process exit code the
// CLI returns for it; the codes are stable because scripts and Ansible read them.
#pragma once

#include <stdexcept>
#include <string>

namespace smharden::core {

enum class exit_code : int {
  ok = 0,            ///< compliant, or apply succeeded
  runtime = 1,       ///< the run itself failed (I/O, plugin crash, target unreachable)
  usage = 2,         ///< bad command line, bad profile, unknown plugin, dependency cycle
  drift = 3,         ///< check found non-compliant steps
  apply_failed = 4,  ///< apply (or its verification/health probe) failed
};

class error : public std::runtime_error {
 public:
  error(exit_code code, const std::string& message) : std::runtime_error(message), code_(code) {}
  exit_code code() const noexcept { return code_; }

 private:
  exit_code code_;
};

/// Wrong command-line use.
class usage_error : public error {
 public:
  explicit usage_error(const std::string& message) : error(exit_code::usage, message) {}
};

/// A profile (or target/config file) that cannot be used as written. The
/// message names the file, the JSON pointer, what was expected and found.
class profile_error : public error {
 public:
  explicit profile_error(const std::string& message) : error(exit_code::usage, message) {}
};

/// Steps that cannot be ordered: a cycle, a missing or out-of-range dependency.
class graph_error : public error {
 public:
  explicit graph_error(const std::string& message) : error(exit_code::usage, message) {}
};

/// Anything else that stops a run.
class runtime_error : public error {
 public:
  explicit runtime_error(const std::string& message) : error(exit_code::runtime, message) {}
};

}  // namespace smharden::core
