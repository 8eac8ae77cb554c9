// Account rights through the LSA policy: LsaEnumerateAccountRights,
// LsaAddAccountRights, LsaRemoveAccountRights.
#ifdef _WIN32

#include <windows.h>
// after windows.h, which it needs
#include <ntsecapi.h>

#include <algorithm>
#include <cctype>

#include "services/service_registry.hpp"
#include "services/windows/win32/win32_backend.hpp"
#include "services/windows/win32/win32_errors.hpp"
#include "services/windows/win32/win32_util.hpp"

namespace smharden::services::windows::win32 {
namespace {

[[noreturn]] void throw_nt(const char* api, const std::string& subject, NTSTATUS status) {
  throw_win32(api, subject, LsaNtStatusToWinError(status));
}

class lsa_policy {
 public:
  lsa_policy(ACCESS_MASK access, const std::string& subject) {
    LSA_OBJECT_ATTRIBUTES attributes{};
    const NTSTATUS status = LsaOpenPolicy(nullptr, &attributes, access, &handle_);
    if (status != 0) throw_nt("LsaOpenPolicy", subject, status);
  }
  lsa_policy(const lsa_policy&) = delete;
  lsa_policy& operator=(const lsa_policy&) = delete;
  ~lsa_policy() {
    if (handle_ != nullptr) LsaClose(handle_);
  }
  LSA_HANDLE get() const { return handle_; }

 private:
  LSA_HANDLE handle_ = nullptr;
};

// LSA_UNICODE_STRING over a wide string; Length and MaximumLength are in bytes.
LSA_UNICODE_STRING lsa_string(std::wstring& text) {
  LSA_UNICODE_STRING s{};
  s.Buffer = text.data();
  s.Length = static_cast<USHORT>(text.size() * sizeof(wchar_t));
  s.MaximumLength = static_cast<USHORT>((text.size() + 1) * sizeof(wchar_t));
  return s;
}

bool is_right_name(std::string_view right) {
  return right.size() > 2 && right.substr(0, 2) == "Se" &&
         std::all_of(right.begin(), right.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
}

std::wstring right_name(const std::string& right) {
  if (!is_right_name(right)) {
    throw service_error("invalid_params", "\"" + right + "\" is not a user right name (e.g. SeServiceLogonRight)");
  }
  return to_wide(right, "right");
}

}  // namespace

std::vector<std::string> win32_backend::account_rights(const std::string& account) const {
  const sid_bytes sid = require_sid(account);
  lsa_policy policy(POLICY_LOOKUP_NAMES, account);
  api_buffer<LSA_UNICODE_STRING, LsaFreeMemory> rights;
  ULONG count = 0;
  const NTSTATUS status = LsaEnumerateAccountRights(policy.get(), sid.get(), rights.out(), &count);
  // An account that holds no right has no LSA account object: "none", not an error.
  if (static_cast<std::uint32_t>(status) == nt_status::object_name_not_found) return {};
  if (status != 0) throw_nt("LsaEnumerateAccountRights", account, status);
  std::vector<std::string> out;
  for (ULONG i = 0; i < count; ++i) {
    const LSA_UNICODE_STRING& r = rights.get()[i];
    out.push_back(to_utf8(r.Buffer, r.Length / sizeof(wchar_t)));
  }
  return out;
}

void win32_backend::grant_right(const std::string& account, const std::string& right) {
  std::wstring wright = right_name(right);
  const sid_bytes sid = require_sid(account);
  // POLICY_CREATE_ACCOUNT: the LSA account object may not exist yet.
  lsa_policy policy(POLICY_LOOKUP_NAMES | POLICY_CREATE_ACCOUNT, account);
  LSA_UNICODE_STRING name = lsa_string(wright);
  const NTSTATUS status = LsaAddAccountRights(policy.get(), sid.get(), &name, 1);
  if (status != 0) throw_nt("LsaAddAccountRights", account + " " + right, status);
}

void win32_backend::revoke_right(const std::string& account, const std::string& right) {
  std::wstring wright = right_name(right);
  const sid_bytes sid = require_sid(account);
  lsa_policy policy(POLICY_LOOKUP_NAMES, account);
  LSA_UNICODE_STRING name = lsa_string(wright);
  const NTSTATUS status = LsaRemoveAccountRights(policy.get(), sid.get(), FALSE, &name, 1);
  // No LSA object (the account holds no right): nothing to revoke.
  if (static_cast<std::uint32_t>(status) == nt_status::object_name_not_found) return;
  if (status != 0) throw_nt("LsaRemoveAccountRights", account + " " + right, status);
}

}  // namespace smharden::services::windows::win32

#endif  // _WIN32
