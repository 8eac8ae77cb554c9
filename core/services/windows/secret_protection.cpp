#include "services/windows/secret_protection.hpp"

#include <system_error>

#ifdef _WIN32
#include <windows.h>
// windows.h first: dpapi.h needs its types.
#include <dpapi.h>
#endif

namespace smharden::services::windows {

#ifdef _WIN32

namespace {

DATA_BLOB blob_of(std::string_view bytes) {
  DATA_BLOB b;
  b.cbData = static_cast<DWORD>(bytes.size());
  b.pbData = reinterpret_cast<BYTE*>(const_cast<char*>(bytes.data()));
  return b;
}

std::string take(DATA_BLOB& out) {
  std::string bytes(reinterpret_cast<const char*>(out.pbData), out.cbData);
  SecureZeroMemory(out.pbData, out.cbData);
  LocalFree(out.pbData);
  return bytes;
}

}  // namespace

const char* protection_kind() noexcept { return "dpapi-machine"; }

std::string protect_secret(std::string_view plain) {
  DATA_BLOB in = blob_of(plain);
  DATA_BLOB out{};
  // The machine's key: smharden runs elevated, possibly as different administrators.
  if (!CryptProtectData(&in, L"smharden", nullptr, nullptr, nullptr,
                        CRYPTPROTECT_LOCAL_MACHINE | CRYPTPROTECT_UI_FORBIDDEN, &out)) {
    throw std::system_error(static_cast<int>(GetLastError()), std::system_category(), "CryptProtectData");
  }
  return take(out);
}

std::string unprotect_secret(std::string_view stored) {
  DATA_BLOB in = blob_of(stored);
  DATA_BLOB out{};
  if (!CryptUnprotectData(&in, nullptr, nullptr, nullptr, nullptr, CRYPTPROTECT_UI_FORBIDDEN, &out)) {
    throw std::system_error(static_cast<int>(GetLastError()), std::system_category(), "CryptUnprotectData");
  }
  return take(out);
}

#else

const char* protection_kind() noexcept { return "none"; }

std::string protect_secret(std::string_view plain) { return std::string(plain); }

std::string unprotect_secret(std::string_view stored) { return std::string(stored); }

#endif

}  // namespace smharden::services::windows
