// Runs the real smharden CLI as a child process against labs in temporary
// folders, and looks at the lab's files (hashes, parseability).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace safety {

namespace fs = std::filesystem;
using json = nlohmann::json;

struct proc_result {
  int exit_code = -1;  ///< -1 when killed by a signal
  int signal = 0;      ///< the signal that ended it, 0 if it exited
  std::string out;
  std::string err;
  json out_json() const;  ///< stdout parsed as JSON (throws with the output in the message)
};

/// A fresh temporary folder, removed when the object dies.
class temp_dir {
 public:
  explicit temp_dir(const std::string& tag);
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

/// The CLI with a fixed state folder and plugin folder.
class cli {
 public:
  cli(fs::path state_dir, fs::path plugin_dir) : state_(std::move(state_dir)), plugins_(std::move(plugin_dir)) {}
  /// Runs `smharden --plugin-dir P args...` with SMHARDEN_STATE_DIR set and `env` added.
  /// `watch` (optional) is called with the child's pid every few milliseconds until it
  /// returns false or the child ends.
  proc_result run(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {},
                  const std::function<bool(pid_t)>& watch = {}) const;
  const fs::path& state_dir() const { return state_; }

 private:
  fs::path state_;
  fs::path plugins_;
};

/// The built CLI, the churn plugin folder and the source tree (from compile definitions).
fs::path smharden_exe();
fs::path churn_plugin_dir();
fs::path source_dir();

/// sha256 of every file under `root` (relative path -> hex), except logs that
/// a lab appends to outside the journal (iis/recycle.log) and IIS's own
/// configuration history copies (iis/history/).
std::map<std::string, std::string> lab_hashes(const fs::path& root);

/// Every .json file parses as JSON and every .config/.xml file as XML; returns
/// the files that do not (a partial write), and counts leftover temp files.
std::vector<std::string> unparseable_files(const fs::path& root, std::size_t* temp_files = nullptr);

/// Writes `doc` to `file`.
void write_json(const fs::path& file, const json& doc);

/// Reads runs/<id>/journal.jsonl (complete lines only).
std::vector<json> journal_records(const fs::path& state_dir, const std::string& run_id);

}  // namespace safety
