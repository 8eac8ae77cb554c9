// Protection at rest for a secret smharden must keep on disk for a while (a
// password rotation's pending file, docs/safety.md): on Windows, DPAPI
// (CryptProtectData with the machine's key, so only code on this machine can
// read it back); elsewhere the bytes are kept as they are and the file's
// owner-only mode (0600) is the protection.
#pragma once

#include <string>
#include <string_view>

namespace smharden::services::windows {

/// What protect() wrote, for the file: "dpapi-machine" or "none".
const char* protection_kind() noexcept;

/// Throws std::system_error when the OS refuses.
std::string protect_secret(std::string_view plain);
/// The inverse of protect_secret; throws std::system_error when the bytes were not made here.
std::string unprotect_secret(std::string_view stored);

}  // namespace smharden::services::windows
