// The two POSIX steps that make a write survive a crash: every byte written and
// fsync'ed, and the folder fsync'ed after an entry in it was created or renamed.
// Used by the atomic file writer and the journal. Windows has its own calls
// (WriteFile + FlushFileBuffers, MoveFileEx with MOVEFILE_WRITE_THROUGH).
#pragma once

#ifndef _WIN32

#include <filesystem>
#include <string_view>

namespace smharden::util {

/// Writes all of `bytes` to `fd` (short writes and EINTR retried), then fsync()s it.
/// Returns 0, or the errno of the call that failed.
int write_all_and_sync(int fd, std::string_view bytes) noexcept;

/// fsync() of a folder, so that a file created or renamed in it survives a crash. Best effort:
/// a folder that cannot be opened is left as it is.
void sync_folder(const std::filesystem::path& dir) noexcept;

}  // namespace smharden::util

#endif
