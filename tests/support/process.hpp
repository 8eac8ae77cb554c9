// Runs a command for integration tests and captures what it printed.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace smharden::test {

struct process_result {
  int exit_code = -1;
  std::string out;  ///< stdout
  std::string err;  ///< stderr
};

/// Runs `argv` (no shell) with extra environment variables, optional stdin
/// text, and returns its exit code and output. Throws on spawn failure.
process_result run_process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                           const std::string& stdin_text = {});

/// A fresh empty folder under the system temp dir, removed on destruction.
class temp_dir {
 public:
  explicit temp_dir(const std::string& prefix = "smharden-test");
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
};

/// Every regular file under `dir` (relative path -> sha256 hex).
std::map<std::string, std::string> hash_tree(const std::filesystem::path& dir);

/// Reads a whole file.
std::string slurp(const std::filesystem::path& file);

}  // namespace smharden::test
