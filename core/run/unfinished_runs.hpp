// What every command tells the operator first: apply runs that did not end
// (their journal has no run_end: the process was killed, the machine went
// down) or were interrupted, whose changes are not rolled back, each with
// the exact command that rolls it back.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace smharden::journal {

/// One line per such run, oldest first; empty when there is none (or no state folder).
std::vector<std::string> unfinished_run_notices(const std::filesystem::path& state_dir);

}  // namespace smharden::journal
