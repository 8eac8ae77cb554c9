#ifdef _WIN32

#include "services/windows/win32/win32_util.hpp"

#include <sddl.h>
#include <smharden/common/account_names.hpp>

#include "services/service_registry.hpp"
#include "services/windows/win32/win32_errors.hpp"

namespace smharden::services::windows::win32 {

void throw_win32(std::string_view api, std::string_view subject, std::uint32_t error) {
  std::string system_text;
  if (describe_win32_error(error).symbol.empty()) {
    wchar_t* buf = nullptr;
    const DWORD n =
        FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                       nullptr, error, 0, reinterpret_cast<LPWSTR>(&buf), 0, nullptr);
    if (n > 0 && buf != nullptr) {
      system_text = to_utf8(buf, n);
      while (!system_text.empty() && (system_text.back() == '\n' || system_text.back() == '\r' ||
                                      system_text.back() == ' ' || system_text.back() == '.')) {
        system_text.pop_back();
      }
    }
    if (buf != nullptr) LocalFree(buf);
  }
  throw service_error(std::string(describe_win32_error(error).code),
                      win32_error_message(api, subject, error, system_text));
}

std::string sid_bytes::str() const { return sid_to_string(get()); }

std::string sid_to_string(PSID sid) {
  api_buffer<wchar_t, LocalFree> text;
  if (!ConvertSidToStringSidW(sid, text.out())) throw_win32("ConvertSidToStringSidW", "", GetLastError());
  return to_utf8(text.get());
}

std::string local_computer_name() {
  wchar_t buf[MAX_COMPUTERNAME_LENGTH + 1] = {};
  DWORD n = MAX_COMPUTERNAME_LENGTH + 1;
  if (!GetComputerNameW(buf, &n)) throw_win32("GetComputerNameW", "", GetLastError());
  return to_utf8(buf, n);
}

std::wstring local_user_name(const std::string& name) {
  const common::account_name parsed = common::parse_account_name(name);
  if (parsed.name.empty()) throw service_error("invalid_params", "empty user name");
  if (!parsed.domain.empty() && !common::is_local_domain(parsed.domain, local_computer_name())) {
    throw service_error("invalid_params", name + " is not a local account (use \"user\" or \".\\user\")");
  }
  return to_wide(parsed.name, "user name");
}

namespace {

// LookupAccountNameW does not know the SCM's aliases or "."; give it the form it knows.
std::wstring lookup_form(const std::string& account) {
  const std::string builtin = common::builtin_service_account(account);
  if (!builtin.empty()) return to_wide(builtin, "account name");
  const common::account_name parsed = common::parse_account_name(account);
  if (parsed.domain == ".") return to_wide(local_computer_name() + "\\" + parsed.name, "account name");
  return to_wide(account, "account name");
}

}  // namespace

std::optional<sid_bytes> resolve_sid(const std::string& account) {
  if (account.empty()) return std::nullopt;
  if (common::is_sid_string(account)) {
    api_buffer<void, LocalFree> sid;
    if (!ConvertStringSidToSidW(to_wide(account, "SID").c_str(), sid.out())) {
      const DWORD err = GetLastError();
      if (err == ERROR_INVALID_SID) return std::nullopt;
      throw_win32("ConvertStringSidToSidW", account, err);
    }
    const auto* p = static_cast<const BYTE*>(sid.get());
    return sid_bytes(std::vector<BYTE>(p, p + GetLengthSid(sid.get())));
  }
  const std::wstring name = lookup_form(account);
  DWORD sid_size = 0;
  DWORD domain_size = 0;
  SID_NAME_USE use{};
  LookupAccountNameW(nullptr, name.c_str(), nullptr, &sid_size, nullptr, &domain_size, &use);
  DWORD err = GetLastError();
  if (err == ERROR_NONE_MAPPED) return std::nullopt;
  if (err != ERROR_INSUFFICIENT_BUFFER) throw_win32("LookupAccountNameW", account, err);
  std::vector<BYTE> sid(sid_size);
  std::wstring domain(domain_size, L'\0');
  if (!LookupAccountNameW(nullptr, name.c_str(), sid.data(), &sid_size, domain.data(), &domain_size, &use)) {
    err = GetLastError();
    if (err == ERROR_NONE_MAPPED) return std::nullopt;
    throw_win32("LookupAccountNameW", account, err);
  }
  return sid_bytes(std::move(sid));
}

sid_bytes require_sid(const std::string& account) {
  auto sid = resolve_sid(account);
  if (!sid) throw_win32("LookupAccountNameW", account, ERROR_NONE_MAPPED);
  return std::move(*sid);
}

std::optional<std::pair<std::string, std::string>> sid_account_name(PSID sid) {
  DWORD name_size = 0;
  DWORD domain_size = 0;
  SID_NAME_USE use{};
  LookupAccountSidW(nullptr, sid, nullptr, &name_size, nullptr, &domain_size, &use);
  DWORD err = GetLastError();
  if (err == ERROR_NONE_MAPPED) return std::nullopt;
  if (err != ERROR_INSUFFICIENT_BUFFER) throw_win32("LookupAccountSidW", sid_to_string(sid), err);
  std::wstring name(name_size, L'\0');
  std::wstring domain(domain_size, L'\0');
  if (!LookupAccountSidW(nullptr, sid, name.data(), &name_size, domain.data(), &domain_size, &use)) {
    err = GetLastError();
    if (err == ERROR_NONE_MAPPED) return std::nullopt;
    throw_win32("LookupAccountSidW", sid_to_string(sid), err);
  }
  // On success the sizes are the lengths without the terminator.
  return std::make_pair(to_utf8(domain.c_str(), domain_size), to_utf8(name.c_str(), name_size));
}

std::string sid_display_name(PSID sid) {
  const auto account = sid_account_name(sid);
  if (!account) return sid_to_string(sid);
  if (account->first.empty()) return account->second;
  return account->first + "\\" + account->second;
}

}  // namespace smharden::services::windows::win32

#endif  // _WIN32
