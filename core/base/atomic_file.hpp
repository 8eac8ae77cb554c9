// Whole-file writes that never leave a half-written file behind: write a
// temporary file beside the target, flush it to disk, then rename over it.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace smharden::util {

/// Replaces `path` with `content` atomically (temp file, fsync, rename,
/// fsync of the folder on POSIX). Throws std::system_error on failure, and
/// then `path` is unchanged.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

/// The same for a file only its owner may read: created with mode 0600 on POSIX (before any byte is
/// written, so it is never readable by others); on Windows the folder's ACL applies.
void write_private_file_atomic(const std::filesystem::path& path, std::string_view content);

/// Reads a whole file; throws std::system_error naming the path.
std::string read_file(const std::filesystem::path& path);

/// Hex SHA-256 of a byte string.
std::string sha256_hex(std::string_view bytes);

}  // namespace smharden::util
