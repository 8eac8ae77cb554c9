#include "cli/cli.hpp"

#include <CLI/CLI.hpp>

namespace smharden::cli {

int run(int argc, char** argv) {
  CLI::App app{"smharden: check, apply and roll back SmarterMail-on-Windows hardening"};
  app.set_version_flag("--version", SMHARDEN_VERSION);
  CLI11_PARSE(app, argc, argv);
  return 0;
}

}  // namespace smharden::cli
