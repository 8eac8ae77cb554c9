// Finds plugin modules, loads them with Boost.DLL, checks their ABI version
// and manifest, and keeps them loaded for the life of the process. A module
// that cannot be used is refused with a one-line reason; loading goes on.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "registry/loaded_plugin.hpp"

namespace smharden::core {

struct load_refusal {
  std::filesystem::path file;
  std::string reason;
};

class plugin_registry {
 public:
  /// Loads every module (.so/.dll) in `dirs`, in order; within a folder in
  /// sorted file-name order. A missing folder is skipped silently.
  void load_from(const std::vector<std::filesystem::path>& dirs);
  /// Loads one module; returns false and records a refusal when it is refused.
  bool load_file(const std::filesystem::path& file);

  const loaded_plugin* find(const std::string& id) const;
  /// Loaded plugins sorted by id.
  std::vector<const loaded_plugin*> plugins() const;
  const std::vector<load_refusal>& refusals() const noexcept { return refusals_; }

 private:
  std::map<std::string, std::unique_ptr<loaded_plugin>> by_id_;
  std::vector<load_refusal> refusals_;
};

/// The plugin search path: `plugins/` beside the running binary, then each
/// --plugin-dir, then each entry of SMHARDEN_PLUGIN_PATH (':' separated, ';'
/// on Windows).
std::vector<std::filesystem::path> plugin_search_path(const std::vector<std::filesystem::path>& cli_dirs);

}  // namespace smharden::core
