#ifdef _WIN32

#include "services/win32_text.hpp"

#include <windows.h>

#include <cwchar>

#include "services/service_registry.hpp"

namespace smharden::services::win32 {

std::wstring to_wide(std::string_view utf8, std::string_view what) {
  if (utf8.empty()) return {};
  const int n =
      MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), static_cast<int>(utf8.size()), nullptr, 0);
  if (n <= 0) throw service_error("invalid_params", std::string(what) + " is not valid UTF-8");
  std::wstring out(static_cast<std::size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8.data(), static_cast<int>(utf8.size()), out.data(), n);
  return out;
}

std::string to_utf8(const wchar_t* text, std::size_t length) {
  if (text == nullptr || length == 0) return {};
  const int n = WideCharToMultiByte(CP_UTF8, 0, text, static_cast<int>(length), nullptr, 0, nullptr, nullptr);
  if (n <= 0) return {};
  std::string out(static_cast<std::size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text, static_cast<int>(length), out.data(), n, nullptr, nullptr);
  return out;
}

std::string to_utf8(const wchar_t* text) { return text == nullptr ? std::string() : to_utf8(text, wcslen(text)); }

void wipe(std::wstring& secret) noexcept {
  if (!secret.empty()) SecureZeroMemory(secret.data(), secret.size() * sizeof(wchar_t));
  secret.clear();
}

}  // namespace smharden::services::win32

#endif
