// What every subcommand shares: global options and the objects built from
// them on first use (the plugin registry, the secret store, the audit log).
#pragma once

#include <smharden/plugin_abi.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "registry/plugin_registry.hpp"
#include "run/run_context.hpp"
#include "run/worker_process.hpp"
#include "runtime/audit_log.hpp"
#include "runtime/redactor.hpp"
#include "runtime/secret_store.hpp"
#include "services/target.hpp"

namespace smharden::cli {

/// Set in the worker process of a supervised run (run/supervisor.hpp).
struct worker_settings {
  std::string mode;                            ///< check | apply: what the worker runs
  std::string run_id;                          ///< an apply's id; the supervisor holds its run lock
  std::map<std::string, std::string> secrets;  ///< read by the supervisor, passed over the pipe
  core::result_channel* channel = nullptr;     ///< reports to the supervisor
};

struct cli_context {
  std::vector<std::string> args;  ///< the command line after the program name
  std::optional<worker_settings> worker;
  std::vector<std::filesystem::path> plugin_dirs;
  std::vector<std::string> secret_files;  ///< NAME=PATH
  std::vector<std::string> secret_stdin;  ///< NAME (read one line each from stdin)
  int verbosity = 0;
  bool allow_insecure_plugins = false;  ///< --allow-insecure-plugins
  bool no_color = false;                ///< --no-color
  bool require_signed_plugins = false;  ///< the target file's require_signed_plugins

  core::redactor redact;
  std::unique_ptr<core::secret_store> secrets;
  std::unique_ptr<core::plugin_registry> plugins;
  core::plugin_registry no_plugins;  ///< stays empty
  std::unique_ptr<core::audit_log> log;
  std::atomic<bool> cancel{false};

  /// Loads the plugins once; reports refusals as warnings on stderr. Throws
  /// (exit 2) when a module was refused as untrusted, naming each one and the fix.
  core::plugin_registry& registry();
  /// Reads --secret-file / --secret-stdin once.
  core::secret_store& secret_store();
  /// Opens the audit log (state dir logs/smharden.log) once.
  core::audit_log& audit();
  /// --target as given, or the default: `local` on Windows, the user's lab
  /// elsewhere (created on first use, announced on stderr).
  services::target resolve_target(const std::string& spec);
  /// What a run borrows from this process (plugins, secrets, audit log, Ctrl-C flag, state folder).
  core::run_context run_context();
  /// The same without loading any plugin, for what runs no plugin code (rollback, probes): a broken
  /// or hostile module in a plugin folder is never opened on the way back.
  core::run_context run_context_without_plugins();
  /// Colours on stdout: only on a terminal, without --no-color, and without NO_COLOR (no-color.org: set
  /// and not empty).
  bool color_stdout() const;
};

/// True when the stream is an interactive terminal.
bool stdout_is_tty();
bool stdin_is_tty();
bool stderr_is_tty();

}  // namespace smharden::cli
