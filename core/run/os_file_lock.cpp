#include "run/os_file_lock.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "base/errors.hpp"

#ifdef _WIN32
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#endif

namespace smharden::core {

#ifdef _WIN32

namespace {

// The locked byte: far past any record, so that readers of the record are never blocked
// (Windows byte-range locks are mandatory).
constexpr DWORD lock_offset_high = 0x7FFFFFFF;

std::string last_error_text() { return std::system_category().message(static_cast<int>(GetLastError())); }

OVERLAPPED lock_region() {
  OVERLAPPED ov{};
  ov.Offset = 0;
  ov.OffsetHigh = lock_offset_high;
  return ov;
}

}  // namespace

struct os_file_lock::handle {
  HANDLE h = INVALID_HANDLE_VALUE;
};

std::unique_ptr<os_file_lock> os_file_lock::try_lock(const std::filesystem::path& file) {
  // Not inheritable: a child process never keeps the lock alive.
  HANDLE h = CreateFileW(file.wstring().c_str(), GENERIC_READ | GENERIC_WRITE,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_ALWAYS,
                         FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    throw runtime_error(fmt::format("cannot open the lock file {}: {}", file.string(), last_error_text()));
  }
  OVERLAPPED ov = lock_region();
  if (!LockFileEx(h, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ov)) {
    const DWORD err = GetLastError();
    CloseHandle(h);
    if (err == ERROR_LOCK_VIOLATION || err == ERROR_IO_PENDING) return nullptr;
    throw runtime_error(fmt::format("cannot lock {}: {}", file.string(), std::system_category().message(err)));
  }
  auto owned = std::make_unique<handle>();
  owned->h = h;
  return std::unique_ptr<os_file_lock>(new os_file_lock(file, std::move(owned)));
}

os_file_lock::~os_file_lock() {
  LARGE_INTEGER zero{};
  if (SetFilePointerEx(handle_->h, zero, nullptr, FILE_BEGIN)) SetEndOfFile(handle_->h);
  OVERLAPPED ov = lock_region();
  UnlockFileEx(handle_->h, 0, 1, 0, &ov);
  CloseHandle(handle_->h);
}

void os_file_lock::write_record(std::string_view text) {
  LARGE_INTEGER zero{};
  DWORD written = 0;
  if (!SetFilePointerEx(handle_->h, zero, nullptr, FILE_BEGIN) || !SetEndOfFile(handle_->h) ||
      !WriteFile(handle_->h, text.data(), static_cast<DWORD>(text.size()), &written, nullptr) ||
      written != text.size()) {
    throw runtime_error(fmt::format("cannot write the lock record {}: {}", file_.string(), last_error_text()));
  }
}

#else

struct os_file_lock::handle {
  int fd = -1;
};

std::unique_ptr<os_file_lock> os_file_lock::try_lock(const std::filesystem::path& file) {
  // Owner-only: anyone who can open the file could hold the lock and block every run.
  // O_CLOEXEC: a child process never keeps the lock alive.
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    throw runtime_error(fmt::format("cannot open the lock file {}: {}", file.string(), std::strerror(errno)));
  }
  int rc = 0;
  do {
    rc = ::flock(fd, LOCK_EX | LOCK_NB);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) return nullptr;
    throw runtime_error(fmt::format("cannot lock {}: {}", file.string(), std::strerror(err)));
  }
  auto owned = std::make_unique<handle>();
  owned->fd = fd;
  return std::unique_ptr<os_file_lock>(new os_file_lock(file, std::move(owned)));
}

os_file_lock::~os_file_lock() {
  // Clear the record while still holding the lock: a reader never sees a finished holder's record.
  (void)::ftruncate(handle_->fd, 0);
  ::flock(handle_->fd, LOCK_UN);
  ::close(handle_->fd);
}

void os_file_lock::write_record(std::string_view text) {
  if (::ftruncate(handle_->fd, 0) != 0 ||
      ::pwrite(handle_->fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
    throw runtime_error(fmt::format("cannot write the lock record {}: {}", file_.string(), std::strerror(errno)));
  }
}

#endif

os_file_lock::os_file_lock(std::filesystem::path file, std::unique_ptr<handle> h)
    : file_(std::move(file)), handle_(std::move(h)) {}

}  // namespace smharden::core
