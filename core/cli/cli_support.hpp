// Small pieces several subcommands share.
#pragma once

#include <string>
#include <vector>

namespace smharden::cli {

/// "a,b" "c" -> {"a", "b", "c"}: list options may be repeated or comma-separated.
std::vector<std::string> split_commas(const std::vector<std::string>& items);

}  // namespace smharden::cli
