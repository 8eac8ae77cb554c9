#include "cli/cli.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "base/errors.hpp"
#include "base/text_escape.hpp"
#include "cli/command_examples.hpp"
#include "cli/commands.hpp"
#include "cli/run_worker.hpp"
#include "cli/stop_signals.hpp"
#include "run/unfinished_runs.hpp"
#include "runtime/state_dir.hpp"

namespace smharden::cli {

namespace {

/// Every command first tells the operator about apply runs that did not end and are not rolled back.
void announce_unfinished_runs() {
  std::vector<std::string> notices;
  try {
    notices = journal::unfinished_run_notices(core::state_dir());
  } catch (const std::exception&) {
    return;  // no state folder yet: no run either
  }
  for (const auto& n : notices) std::cerr << "smharden: warning: " << n << "\n";
}

/// Parses `args` (the command line after the program name) and runs the subcommand.
int run_app(cli_context& ctx, const std::vector<std::string>& args) {
  CLI::App app{"smharden: check, apply and roll back SmarterMail-on-Windows hardening"};
  app.set_version_flag("--version", "smharden " SMHARDEN_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // global options are accepted after the command too: `smharden list --plugin-dir X`
  app.add_option("--plugin-dir", ctx.plugin_dirs, "Another folder to load plugins from (repeatable)");
  app.add_option("--secret-file", ctx.secret_files, "Read secret NAME from a file: NAME=PATH (repeatable)");
  app.add_option("--secret-stdin", ctx.secret_stdin, "Read secret NAME as one line of standard input (repeatable)");
  app.add_flag("--allow-insecure-plugins", ctx.allow_insecure_plugins,
               "Load plugins that others than their owner and the administrators can write (recorded in the report "
               "and the audit log)");
  app.add_flag("-v,--verbose", ctx.verbosity, "Show more on the console (-vv: debug)");
  app.add_flag("--no-color", ctx.no_color, "No colours on the console (also when NO_COLOR is set)");

  add_info_commands(app, ctx);
  add_run_commands(app, ctx);
  add_lab_command(app, ctx);
  add_rollback_commands(app, ctx);
  add_smartermail_command(app, ctx);
  add_plugins_command(app, ctx);
  add_report_command(app, ctx);
  add_completion_command(app);
  add_command_examples(app);
  if (!ctx.worker) app.parse_complete_callback([] { announce_unfinished_runs(); });

  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());
    app.parse(reversed);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return static_cast<int>(core::exit_code::usage);
  } catch (const core::error& e) {
    std::cerr << "smharden: error: " << util::escape_control(ctx.redact.apply(e.what()), util::escape_for::lines)
              << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "smharden: error: " << util::escape_control(ctx.redact.apply(e.what()), util::escape_for::lines)
              << "\n";
    return static_cast<int>(core::exit_code::runtime);
  }
  return command_exit_code();
}

}  // namespace

int run(int argc, char** argv) {
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  if (args.size() == 1 && args[0] == worker_flag) return run_worker(run_app);
  cli_context ctx;
  install_stop_signals(&ctx.cancel);  // before anything can change
  ctx.args = args;
  const int code = run_app(ctx, args);
  install_stop_signals(nullptr);
  return code;
}

}  // namespace smharden::cli
