#include "services/windows/os_random.hpp"

#include <cerrno>
#include <system_error>

#ifdef _WIN32
#include <windows.h>
// after windows.h, which it needs
#include <bcrypt.h>
#else
#include <sys/random.h>
#endif

namespace smharden::services::windows {

std::string os_random_bytes(std::size_t count) {
  std::string out(count, '\0');
#ifdef _WIN32
  const NTSTATUS status = BCryptGenRandom(nullptr, reinterpret_cast<PUCHAR>(out.data()), static_cast<ULONG>(count),
                                          BCRYPT_USE_SYSTEM_PREFERRED_RNG);
  if (status < 0) {
    throw std::system_error(static_cast<int>(status), std::system_category(), "BCryptGenRandom failed");
  }
#else
  std::size_t done = 0;
  while (done < count) {
    const ssize_t n = ::getrandom(out.data() + done, count - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "getrandom failed");
    }
    done += static_cast<std::size_t>(n);
  }
#endif
  return out;
}

}  // namespace smharden::services::windows
