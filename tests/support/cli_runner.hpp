// Runs the built smharden binary as a child process, the way scripts and
// Ansible do: arguments, environment and stdin in; exit code, stdout and
// stderr out. Each runner has its own state folder.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "temp_dir.hpp"

namespace smharden::test {

struct cli_result {
  int exit_code = -1;  ///< -1 when a signal ended the process
  int signal = 0;      ///< the signal that ended it, 0 if it exited
  std::string out;     ///< stdout
  std::string err;     ///< stderr
  /// stdout parsed as JSON (throws with both outputs in the message).
  nlohmann::json out_json() const;
};

/// The step `id` of a smharden report (`--format json`); throws, naming the step and the report,
/// when the report has no such step.
const nlohmann::json& step_of(const nlohmann::json& report, const std::string& id);

/// The built smharden binary (the one that is installed), the test build of the host with the
/// crash-test fault injector (tests/support/test_host_main.cpp), and the source tree.
std::filesystem::path smharden_exe();
std::filesystem::path smharden_test_host_exe();
std::filesystem::path source_dir();

class cli_runner {
 public:
  /// `plugin_dir`: passed as --plugin-dir (none when empty: the plugins beside the
  /// binary). `state_dir`: SMHARDEN_STATE_DIR (a fresh folder of the runner when empty).
  explicit cli_runner(std::filesystem::path plugin_dir = {}, std::filesystem::path state_dir = {});

  /// Runs `exe` instead of smharden_exe() (e.g. smharden_test_host_exe()).
  void use_executable(std::filesystem::path exe) { exe_ = std::move(exe); }

  /// Runs `smharden [--plugin-dir P] args...` with `env` added and no stdin. `watch`
  /// (optional) is called with the child's pid every few milliseconds until it returns
  /// false or the child ends (e.g. to kill it at a chosen moment).
  cli_result run(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
                 const std::function<bool(pid_t)>& watch = {}) const;
  /// The same, with `stdin_text` on stdin.
  cli_result run_with_stdin(const std::vector<std::string>& args, const std::string& stdin_text,
                            const std::map<std::string, std::string>& env = {}) const;

  const std::filesystem::path& state_dir() const noexcept { return state_; }

 private:
  cli_result spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                   const std::string* stdin_text, const std::function<bool(pid_t)>& watch) const;

  temp_dir scratch_{"smharden-cli-runner"};  // captured output, stdin, the default state folder
  std::filesystem::path plugins_;
  std::filesystem::path state_;
  std::filesystem::path exe_ = smharden_exe();
};

}  // namespace smharden::test
