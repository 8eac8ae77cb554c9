// One function per subcommand family; each adds its subcommands to the app.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_context.hpp"

namespace smharden::cli {

/// list, describe, validate, graph
void add_info_commands(CLI::App& app, cli_context& ctx);
/// check, apply
void add_run_commands(CLI::App& app, cli_context& ctx);
/// lab init
void add_lab_command(CLI::App& app, cli_context& ctx);
/// rollback, history
void add_rollback_commands(CLI::App& app, cli_context& ctx);
/// smartermail probe
void add_smartermail_command(CLI::App& app, cli_context& ctx);

/// plugins lock
void add_plugins_command(CLI::App& app, cli_context& ctx);
/// report merge
void add_report_command(CLI::App& app, cli_context& ctx);
/// completion bash|powershell (add it after every other command: the script lists them all)
void add_completion_command(CLI::App& app);

/// --wait-lock SECONDS, shared by the commands that change a target (apply, rollback).
inline void add_wait_lock(CLI::App* cmd, unsigned& seconds) {
  cmd->add_option("--wait-lock", seconds,
                  "When another run is changing the same target or state folder, wait up to SECONDS for it to "
                  "finish (default: refuse at once, naming it)")
      ->check(CLI::Range(0U, 86400U));
}

/// Set by a subcommand callback: the process exit code.
inline int& command_exit_code() {
  static int code = 0;
  return code;
}

}  // namespace smharden::cli
