// One exclusive OS lock on one file: flock() on POSIX, LockFileEx() on
// Windows. The operating system releases it when the process ends, however it
// ends, so a killed run never leaves a stale lock. The file also holds a short
// text record of the holder, written after locking and readable by others
// while the lock is held (on Windows the lock covers a byte far past the
// record, so reads of the record are never blocked).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace smharden::core {

class os_file_lock {
 public:
  /// Opens (creating it, owner-only on POSIX) and locks `file` without waiting. Returns nullptr when
  /// another open of the file holds the lock (another process, or another os_file_lock in this one).
  /// Throws core::runtime_error naming the file when it cannot be opened or locked for another reason.
  static std::unique_ptr<os_file_lock> try_lock(const std::filesystem::path& file);

  /// Clears the record, then unlocks and closes the file.
  ~os_file_lock();
  os_file_lock(const os_file_lock&) = delete;
  os_file_lock& operator=(const os_file_lock&) = delete;

  /// Replaces the holder record (the file's whole content). Throws core::runtime_error on failure.
  void write_record(std::string_view text);

  const std::filesystem::path& file() const noexcept { return file_; }

 private:
  struct handle;
  os_file_lock(std::filesystem::path file, std::unique_ptr<handle> h);

  std::filesystem::path file_;
  std::unique_ptr<handle> handle_;
};

}  // namespace smharden::core
