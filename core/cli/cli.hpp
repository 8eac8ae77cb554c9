// The smharden command line (CLI11). Returns the process exit code
// (core::exit_code); never throws.
#pragma once

namespace smharden::cli {

int run(int argc, char** argv);

}  // namespace smharden::cli
