// The plugin lock file: the SHA-256 of every module in a plugin folder,
// written by `smharden plugins lock` as `smharden-plugins.lock` in that
// folder. When the file exists, a module that is not listed or whose hash
// differs is refused. A module's manifest is compiled into the module, so its
// hash covers the manifest too.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace smharden::core {

inline constexpr const char* plugin_lock_file_name = "smharden-plugins.lock";
inline constexpr const char* plugin_lock_format = "smharden-plugin-lock/1";

struct plugin_lock {
  std::filesystem::path file;
  std::map<std::string, std::string> sha256;  ///< module file name -> lower-case hex SHA-256
};

/// The modules (.so, or .dll on Windows) directly in `dir`, sorted; absolute paths.
std::vector<std::filesystem::path> plugin_modules_in(const std::filesystem::path& dir);

/// Hex SHA-256 of a file's bytes; throws std::system_error naming the file.
std::string file_sha256(const std::filesystem::path& file);

/// Reads `dir`/smharden-plugins.lock; nullopt when there is none. Throws
/// std::invalid_argument naming the file and what is wrong with it.
std::optional<plugin_lock> read_plugin_lock(const std::filesystem::path& dir);

/// The text of a lock file listing `sha256` (file name -> hash).
std::string render_plugin_lock(const std::map<std::string, std::string>& sha256);

/// Empty when `module` is listed in `lock` with the hash it has now; else why
/// it is refused (naming the lock file, the expected and actual hash, and the fix).
std::string lock_mismatch(const plugin_lock& lock, const std::filesystem::path& module);

}  // namespace smharden::core
