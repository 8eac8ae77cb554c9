#include "cli_runner.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "base/atomic_file.hpp"

extern char** environ;

namespace smharden::test {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> environment_with(const std::map<std::string, std::string>& extra) {
  std::map<std::string, std::string> merged;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos) merged[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [k, v] : extra) merged[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : merged) out.push_back(k + "=" + v);
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

const nlohmann::json& step_of(const nlohmann::json& report, const std::string& id) {
  for (const auto& s : report.at("steps")) {
    if (s.at("id") == id) return s;
  }
  throw std::runtime_error("no step " + id + " in the report: " + report.dump());
}

nlohmann::json cli_result::out_json() const {
  nlohmann::json j = nlohmann::json::parse(out, nullptr, false);
  if (j.is_discarded()) throw std::runtime_error("stdout is not JSON:\n" + out + "\nstderr:\n" + err);
  return j;
}

fs::path smharden_exe() { return SMHARDEN_EXE; }
fs::path smharden_test_host_exe() { return SMHARDEN_TEST_HOST_EXE; }
fs::path source_dir() { return SMHARDEN_SOURCE_DIR; }

cli_runner::cli_runner(fs::path plugin_dir, fs::path state_dir)
    : plugins_(std::move(plugin_dir)), state_(state_dir.empty() ? scratch_.path() / "state" : std::move(state_dir)) {}

cli_result cli_runner::run(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                           const std::function<bool(pid_t)>& watch) const {
  return spawn(args, env, nullptr, watch);
}

cli_result cli_runner::run_with_stdin(const std::vector<std::string>& args, const std::string& stdin_text,
                                      const std::map<std::string, std::string>& env) const {
  return spawn(args, env, &stdin_text, {});
}

cli_result cli_runner::spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                             const std::string* stdin_text, const std::function<bool(pid_t)>& watch) const {
  // Output goes to files, not pipes: nothing blocks on a full pipe while the test watches the child.
  static std::atomic<int> counter{0};
  const std::string tag = std::to_string(++counter);
  const fs::path out_file = scratch_.path() / ("stdout-" + tag);
  const fs::path err_file = scratch_.path() / ("stderr-" + tag);
  const fs::path in_file = stdin_text != nullptr ? scratch_.write("stdin-" + tag, *stdin_text) : fs::path("/dev/null");

  std::vector<std::string> argv = {exe_.string()};
  if (!plugins_.empty()) argv.insert(argv.end(), {"--plugin-dir", plugins_.string()});
  argv.insert(argv.end(), args.begin(), args.end());
  auto extra = env;
  extra.emplace("SMHARDEN_STATE_DIR", state_.string());
  std::vector<std::string> envs = environment_with(extra);
  std::vector<char*> argp = c_strings(argv);
  std::vector<char*> envp = c_strings(envs);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in_file.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argp[0], &actions, nullptr, argp.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::system_error(rc, std::generic_category(), "cannot run " + argv[0]);

  int status = 0;
  bool watching = static_cast<bool>(watch);
  while (true) {
    const pid_t done = ::waitpid(pid, &status, watching ? WNOHANG : 0);
    if (done == pid) break;
    if (done < 0 && errno == EINTR) continue;
    if (done < 0) throw std::system_error(errno, std::generic_category(), "waitpid");
    if (watching) {
      watching = watch(pid);
      if (watching) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  cli_result r;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.out = util::read_file(out_file);
  r.err = util::read_file(err_file);
  std::error_code ec;
  for (const auto& f : {out_file, err_file}) fs::remove(f, ec);
  if (stdin_text != nullptr) fs::remove(in_file, ec);
  return r;
}

}  // namespace smharden::test
