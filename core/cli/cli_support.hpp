// Small pieces several subcommands share.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace smharden::cli {

/// "a,b" "c" -> {"a", "b", "c"}: list options may be repeated or comma-separated.
std::vector<std::string> split_commas(const std::vector<std::string>& items);

/// The file a profile argument means: a bare name ("baseline") is a profile
/// shipped with smharden, in the profile folder beside the running binary.
std::filesystem::path profile_argument(const std::string& arg);

}  // namespace smharden::cli
