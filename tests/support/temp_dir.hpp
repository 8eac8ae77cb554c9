// A fresh temporary folder for one test, removed with everything in it when
// the test ends, and the writes tests make into it.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace smharden::test {

class temp_dir {
 public:
  /// A new empty folder named `<prefix>-<random>` under the system temp folder.
  explicit temp_dir(const std::string& prefix = "smharden-test");
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const noexcept { return path_; }
  /// Writes `text` to `relative` (parent folders created) and returns its full path.
  std::filesystem::path write(const std::filesystem::path& relative, std::string_view text) const;
  /// Writes `doc` as indented JSON.
  std::filesystem::path write_json(const std::filesystem::path& relative, const nlohmann::json& doc) const;

 private:
  std::filesystem::path path_;
};

/// Writes `text` to `file`, creating its parent folders.
void write_file(const std::filesystem::path& file, std::string_view text);
/// Writes `doc` to `file` as indented JSON.
void write_json(const std::filesystem::path& file, const nlohmann::json& doc);

}  // namespace smharden::test
