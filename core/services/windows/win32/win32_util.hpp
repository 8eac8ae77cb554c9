// Helpers shared by the Win32 backend's files: UTF-8 <-> UTF-16, owners for
// the buffers and handles the APIs hand out, SIDs, and the one way errors
// are thrown. _WIN32 only.
#pragma once

#ifdef _WIN32

#include <windows.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "services/win32_text.hpp"

namespace smharden::services::windows::win32 {

// UTF-8 <-> UTF-16 and wipe() are shared with the other services that call Win32.
using services::win32::to_utf8;
using services::win32::to_wide;
using services::win32::wipe;

/// Throws service_error with the code and message for a Win32/NERR error
/// (see win32_errors.hpp). `subject` names the object, never a secret.
[[noreturn]] void throw_win32(std::string_view api, std::string_view subject, std::uint32_t error);

/// A SID held by value (the bytes of a SID structure).
class sid_bytes {
 public:
  explicit sid_bytes(std::vector<BYTE> bytes) : bytes_(std::move(bytes)) {}
  PSID get() const { return const_cast<BYTE*>(bytes_.data()); }
  std::string str() const;

 private:
  std::vector<BYTE> bytes_;
};

/// "S-1-5-..." for a SID.
std::string sid_to_string(PSID sid);
/// The SID an account name or SID string names, or nullopt when nothing maps
/// (ERROR_NONE_MAPPED). Accepts "user", ".\user", "COMPUTER\user",
/// "BUILTIN\Administrators", "LocalSystem", "NT AUTHORITY\SYSTEM" and "S-1-...".
std::optional<sid_bytes> resolve_sid(const std::string& account);
/// The same, but a missing account throws service_error("not_found").
sid_bytes require_sid(const std::string& account);
/// {domain, name} of a SID, or nullopt when it maps to no account.
std::optional<std::pair<std::string, std::string>> sid_account_name(PSID sid);
/// "DOMAIN\name", "name" when the domain is empty, or the SID string when unmapped.
std::string sid_display_name(PSID sid);

/// This computer's NetBIOS name (GetComputerNameW).
std::string local_computer_name();
/// The user part of a local account name; throws invalid_params for another
/// domain's account (the NetUser* calls here manage local accounts only).
std::wstring local_user_name(const std::string& name);

/// Owner of memory to release with a given function (NetApiBufferFree,
/// LocalFree, LsaFreeMemory, ...).
template <typename T, auto Free>
class api_buffer {
 public:
  api_buffer() = default;
  api_buffer(const api_buffer&) = delete;
  api_buffer& operator=(const api_buffer&) = delete;
  ~api_buffer() {
    if (ptr_ != nullptr) Free(ptr_);
  }
  T* get() const { return ptr_; }
  T* operator->() const { return ptr_; }
  /// For the out-parameter of the API that allocates.
  T** out() { return &ptr_; }
  template <typename U>
  U** out_as() {
    return reinterpret_cast<U**>(&ptr_);
  }

 private:
  T* ptr_ = nullptr;
};

}  // namespace smharden::services::windows::win32

#endif  // _WIN32
