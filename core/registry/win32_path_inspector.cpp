// The Windows path_inspector: the owner and DACL from GetNamedSecurityInfoW,
// judged by dacl_write_problem.
#ifdef _WIN32

#include <windows.h>
// after windows.h, which they need
#include <aclapi.h>
#include <sddl.h>

#include <fmt/format.h>

#include "registry/path_trust.hpp"

namespace smharden::core {
namespace {

// SID strings are ASCII ("S-1-5-32-544").
std::string sid_string(PSID sid) {
  LPWSTR text = nullptr;
  if (sid == nullptr || !ConvertSidToStringSidW(sid, &text)) return {};
  std::string out;
  for (const wchar_t* c = text; *c != L'\0'; ++c) out.push_back(static_cast<char>(*c));
  LocalFree(text);
  return out;
}

std::string current_user_sid() {
  HANDLE token = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return {};
  DWORD size = 0;
  GetTokenInformation(token, TokenUser, nullptr, 0, &size);
  std::string buffer(size, '\0');
  std::string sid;
  if (size != 0 && GetTokenInformation(token, TokenUser, buffer.data(), size, &size)) {
    sid = sid_string(reinterpret_cast<TOKEN_USER*>(buffer.data())->User.Sid);
  }
  CloseHandle(token);
  return sid;
}

class win32_path_inspector final : public path_inspector {
 public:
  std::optional<trust_problem> inspect(const std::filesystem::path& p, path_role role) const override {
    PSID owner = nullptr;
    PACL dacl = nullptr;
    PSECURITY_DESCRIPTOR sd = nullptr;
    const DWORD err = GetNamedSecurityInfoW(p.wstring().c_str(), SE_FILE_OBJECT,
                                            OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, &owner, nullptr,
                                            &dacl, nullptr, &sd);
    if (err != ERROR_SUCCESS) {
      return trust_problem{p,
                           fmt::format("cannot read its owner and permissions (GetNamedSecurityInfoW error {})", err),
                           "check that it exists and that smharden may read its permissions"};
    }
    dacl_facts facts;
    facts.owner_sid = sid_string(owner);
    facts.null_dacl = dacl == nullptr;
    ACL_SIZE_INFORMATION size{};
    if (dacl != nullptr && GetAclInformation(dacl, &size, sizeof(size), AclSizeInformation)) {
      for (DWORD i = 0; i < size.AceCount; ++i) {
        void* raw = nullptr;
        if (!GetAce(dacl, i, &raw)) continue;
        const auto* header = static_cast<const ACE_HEADER*>(raw);
        common::ace entry;
        if (header->AceType == ACCESS_ALLOWED_ACE_TYPE) {
          entry.type = common::ace_type::allow;
        } else if (header->AceType == ACCESS_DENIED_ACE_TYPE) {
          entry.type = common::ace_type::deny;
        } else {
          // Object or callback ACEs on a file: not understood, so not trusted.
          LocalFree(sd);
          return trust_problem{
              p,
              fmt::format("ACE {} has type {}, which smharden does not evaluate", i, static_cast<int>(header->AceType)),
              fmt::format("icacls \"{}\" /reset", p.string())};
        }
        const auto* allowed = static_cast<const ACCESS_ALLOWED_ACE*>(raw);  // same layout as ACCESS_DENIED_ACE
        entry.sid = sid_string(const_cast<DWORD*>(&allowed->SidStart));
        entry.mask = allowed->Mask;
        entry.flags = header->AceFlags;
        facts.aces.push_back(std::move(entry));
      }
    }
    LocalFree(sd);
    static const std::string runner = current_user_sid();
    return dacl_write_problem(p, facts, runner, role);
  }
};

}  // namespace

std::shared_ptr<const path_inspector> os_path_inspector() { return std::make_shared<win32_path_inspector>(); }

}  // namespace smharden::core

#endif
