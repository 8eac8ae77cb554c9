// Where the files shipped with smharden are, found from the running binary's
// own location (never the current folder or the build tree's path): an
// installed smharden keeps working when its prefix is moved or unpacked
// elsewhere. The relative paths come from the build's install layout
// (GNUInstallDirs on Linux: bin/, lib/smharden/plugins/,
// share/smharden/profiles/; one folder on Windows: smharden.exe, plugins\,
// profiles\). A build tree mirrors the same layout.
#pragma once

#include <filesystem>
#include <vector>

namespace smharden::core {

/// The folder of the running binary; empty when the OS does not say.
std::filesystem::path program_folder();

/// Where the plugins shipped with the host may be, in order: `plugins/` beside
/// the binary (a build tree, the Windows layout), then the installed plugin
/// folder relative to the binary. Empty when program_folder() is unknown.
std::vector<std::filesystem::path> shipped_plugin_folders();

/// The folder of the profiles shipped with the host (relative to the binary).
/// Empty when program_folder() is unknown.
std::filesystem::path shipped_profile_folder();

}  // namespace smharden::core
