// The example at the end of each command's --help.
#pragma once

#include <CLI/CLI.hpp>

namespace smharden::cli {

/// Sets the footer of `app` and of every subcommand that has an example (all of smharden's do;
/// a test checks that every command has one).
void add_command_examples(CLI::App& app);

}  // namespace smharden::cli
