// UTF-8 <-> UTF-16 for the services that call wide-character Win32 APIs
// (the windows backend, IIS's configuration COM API). _WIN32 only.
#pragma once

#ifdef _WIN32

#include <string>
#include <string_view>

namespace smharden::services::win32 {

/// UTF-8 -> UTF-16; invalid UTF-8 throws service_error("invalid_params") naming `what`.
std::wstring to_wide(std::string_view utf8, std::string_view what);
/// UTF-16 -> UTF-8 (`text` may be null: "").
std::string to_utf8(const wchar_t* text);
std::string to_utf8(const wchar_t* text, std::size_t length);

/// Overwrites a string that held a password before it is freed.
void wipe(std::wstring& secret) noexcept;

}  // namespace smharden::services::win32

#endif
