#ifdef _WIN32

#include "services/windows/win32/win32_backend.hpp"

#include "services/windows/win32/win32_util.hpp"

namespace smharden::services::windows {

std::unique_ptr<windows_backend> make_win32_backend() { return std::make_unique<win32::win32_backend>(); }

namespace win32 {

win32_backend::win32_backend(service_wait_limits limits) : limits_(limits) {}

std::string win32_backend::computer_name() const { return local_computer_name(); }

std::optional<account_ref> win32_backend::lookup_account(const std::string& name) const {
  const auto sid = resolve_sid(name);
  if (!sid) return std::nullopt;
  const auto account = sid_account_name(sid->get());
  if (!account) return std::nullopt;  // a well-formed SID string that names no account
  return account_ref{account->first, account->second, sid->str()};
}

}  // namespace win32
}  // namespace smharden::services::windows

#endif  // _WIN32
