// Finds plugin modules, loads them with Boost.DLL, checks their ABI version
// and manifest, and keeps them loaded for the life of the process. A module
// that cannot be used is refused with a one-line reason; loading goes on.
// Before a module is opened (opening runs its code) it must be trusted: only
// its owner and the administrators can write it and the folders above it
// (path_trust.hpp), it matches its folder's lock file (plugin_lock.hpp), and,
// when required, it carries a valid Authenticode signature.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "registry/loaded_plugin.hpp"
#include "registry/path_trust.hpp"
#include "registry/signature_verifier.hpp"

namespace smharden::core {

struct load_refusal {
  std::filesystem::path file;
  std::string reason;
  /// Refused before it was opened because it is not trusted (who can write
  /// it, the lock file, its signature): the CLI stops rather than run without it.
  bool untrusted = false;
};

/// A module loaded although others can write it (--allow-insecure-plugins).
struct insecure_load {
  std::filesystem::path file;
  std::string reason;
};

struct plugin_trust_options {
  /// Load modules that others can write, recording each in insecure_loads().
  bool allow_insecure = false;
  /// Refuse modules without a valid Authenticode signature.
  bool require_signed = false;
  std::shared_ptr<const path_inspector> inspector;     ///< null: os_path_inspector()
  std::shared_ptr<const signature_verifier> verifier;  ///< null: os_signature_verifier()
};

class plugin_registry {
 public:
  plugin_registry() : plugin_registry(plugin_trust_options{}) {}
  explicit plugin_registry(plugin_trust_options trust);

  /// Loads every module (.so/.dll) in `dirs`, in order; within a folder in
  /// sorted file-name order. A missing folder is skipped silently.
  void load_from(const std::vector<std::filesystem::path>& dirs);
  /// Loads one module; returns false and records a refusal when it is refused.
  bool load_file(const std::filesystem::path& file);

  const loaded_plugin* find(const std::string& id) const;
  /// Loaded plugins sorted by id.
  std::vector<const loaded_plugin*> plugins() const;
  const std::vector<load_refusal>& refusals() const noexcept { return refusals_; }
  const std::vector<insecure_load>& insecure_loads() const noexcept { return insecure_; }
  /// True when a module was refused as untrusted.
  bool refused_untrusted() const noexcept;

 private:
  /// Empty when `file` may be opened; else why not. `insecure` receives
  /// what was overridden by allow_insecure.
  std::string trust_refusal(const std::filesystem::path& file, std::string& insecure) const;

  plugin_trust_options trust_;
  std::vector<insecure_load> insecure_;
  std::map<std::string, std::unique_ptr<loaded_plugin>> by_id_;
  std::vector<load_refusal> refusals_;
};

/// The plugin search path: the shipped plugin folder (`plugins/` beside the
/// running binary, else the installed one relative to it, see
/// runtime/install_layout.hpp), then each
/// --plugin-dir, then each entry of SMHARDEN_PLUGIN_PATH (':' separated, ';'
/// on Windows).
std::vector<std::filesystem::path> plugin_search_path(const std::vector<std::filesystem::path>& cli_dirs);

}  // namespace smharden::core
