// `--profile baseline`: a bare name (no path separator, no ".json") names a
// profile shipped with smharden; anything else is a file path.
#pragma once

#include <filesystem>
#include <string>

namespace smharden::core {

/// True when `arg` names a shipped profile rather than a file: no '/', '\\'
/// or ':', not ending in ".json" (any case), and not "." or "..".
bool is_shipped_profile_name(const std::string& arg);

/// The file `--profile ARG` means: <shipped_folder>/<ARG>.json for a shipped
/// profile name, else ARG itself. Throws profile_error for a name that is
/// not shipped, naming the folder looked in and the names found there.
std::filesystem::path resolve_profile_argument(const std::string& arg, const std::filesystem::path& shipped_folder);

}  // namespace smharden::core
