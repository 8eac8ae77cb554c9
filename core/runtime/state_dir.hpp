// Where smharden keeps what outlives a run: logs, runs/<run_id>/ (journal,
// report, backups) and the default lab. SMHARDEN_STATE_DIR overrides it;
// otherwise $XDG_STATE_HOME/smharden or ~/.local/state/smharden, and
// %ProgramData%\smharden on Windows.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace smharden::core {

std::filesystem::path state_dir();

/// A new, sortable run id: 20261127T220501Z-3f9a1c.
std::string new_run_id();

/// Current UTC time as ISO 8601 ("2026-11-27T22:05:01Z"). (The date alone,
/// for waivers, is utc_today() in profile/profile.hpp.)
std::string utc_now_iso();

/// Nanoseconds since the epoch, for ordering runs started within the same second.
std::int64_t now_ns();

}  // namespace smharden::core
