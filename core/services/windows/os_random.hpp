// Bytes from the operating system's CSPRNG: getrandom(2) on Linux,
// BCryptGenRandom (system-preferred RNG) on Windows. std::random_device is
// not used: the standard does not promise it is cryptographic.
#pragma once

#include <cstddef>
#include <string>

namespace smharden::services::windows {

/// Throws std::system_error when the OS cannot deliver.
std::string os_random_bytes(std::size_t count);

}  // namespace smharden::services::windows
