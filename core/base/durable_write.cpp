#include "base/durable_write.hpp"

#ifndef _WIN32

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace smharden::util {

int write_all_and_sync(int fd, std::string_view bytes) noexcept {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    done += static_cast<std::size_t>(n);
  }
  while (::fsync(fd) != 0) {
    if (errno != EINTR) return errno;
  }
  return 0;
}

void sync_folder(const std::filesystem::path& dir) noexcept {
  const auto folder = dir.empty() ? std::filesystem::path(".") : dir;
  const int dfd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace smharden::util

#endif
