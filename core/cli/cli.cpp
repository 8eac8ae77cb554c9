#include "cli/cli.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <iostream>

#include "base/errors.hpp"
#include "base/text_escape.hpp"
#include "cli/commands.hpp"

namespace smharden::cli {

int run(int argc, char** argv) {
  cli_context ctx;
  CLI::App app{"smharden: check, apply and roll back SmarterMail-on-Windows hardening"};
  app.set_version_flag("--version", "smharden " SMHARDEN_VERSION);
  app.require_subcommand(1);
  app.add_option("--plugin-dir", ctx.plugin_dirs, "Another folder to load plugins from (repeatable)");
  app.add_option("--secret-file", ctx.secret_files, "Read secret NAME from a file: NAME=PATH (repeatable)");
  app.add_option("--secret-stdin", ctx.secret_stdin, "Read secret NAME as one line of standard input (repeatable)");
  app.add_flag("--allow-insecure-plugins", ctx.allow_insecure_plugins,
               "Load plugins that others than their owner and the administrators can write (recorded in the report "
               "and the audit log)");
  app.add_flag("-v,--verbose", ctx.verbosity, "Show more on the console (-vv: debug)");

  add_info_commands(app, ctx);
  add_run_commands(app, ctx);
  add_lab_command(app, ctx);
  add_rollback_commands(app, ctx);
  add_smartermail_command(app, ctx);
  add_plugins_command(app, ctx);

  try {
    app.parse(argc, argv);
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

}  // namespace smharden::cli
