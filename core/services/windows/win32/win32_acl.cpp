// Folder DACLs: GetNamedSecurityInfoW to read, SetEntriesInAclW +
// SetNamedSecurityInfoW to grant or revoke (Windows propagates inheritable
// ACEs to existing children itself).
#ifdef _WIN32

#include <windows.h>
// after windows.h, which it needs
#include <aclapi.h>
#include <smharden/common/account_names.hpp>

#include "services/service_registry.hpp"
#include "services/windows/win32/win32_backend.hpp"
#include "services/windows/win32/win32_util.hpp"

namespace smharden::services::windows::win32 {
namespace {

using security_descriptor = api_buffer<void, LocalFree>;

// The folder must exist and be a folder: a clear not_found instead of an ACL
// error, and never an ACL write on a file by mistake.
std::wstring folder_path(const std::string& path) {
  std::wstring wpath = to_wide(path, "path");
  const DWORD attributes = GetFileAttributesW(wpath.c_str());
  if (attributes == INVALID_FILE_ATTRIBUTES) throw_win32("GetFileAttributesW", path, GetLastError());
  if ((attributes & FILE_ATTRIBUTE_DIRECTORY) == 0) {
    throw service_error("invalid_params", path + " is a file, not a folder");
  }
  return wpath;
}

struct dacl_read {
  security_descriptor sd;
  PACL dacl = nullptr;  // points into sd; NULL = a NULL DACL (everyone has full access)
  bool is_protected = false;
};

void read_dacl(const std::wstring& wpath, const std::string& path, dacl_read& out) {
  const DWORD err = GetNamedSecurityInfoW(wpath.c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr,
                                          &out.dacl, nullptr, out.sd.out());
  if (err != ERROR_SUCCESS) throw_win32("GetNamedSecurityInfoW", path, err);
  SECURITY_DESCRIPTOR_CONTROL control = 0;
  DWORD revision = 0;
  if (!GetSecurityDescriptorControl(out.sd.get(), &control, &revision)) {
    throw_win32("GetSecurityDescriptorControl", path, GetLastError());
  }
  out.is_protected = (control & SE_DACL_PROTECTED) != 0;
}

// Writes `dacl` back, keeping the folder's inheritance protection as it was.
void write_dacl(const std::wstring& wpath, const std::string& path, PACL dacl, bool is_protected) {
  const SECURITY_INFORMATION info = DACL_SECURITY_INFORMATION | (is_protected ? PROTECTED_DACL_SECURITY_INFORMATION
                                                                              : UNPROTECTED_DACL_SECURITY_INFORMATION);
  const DWORD err =
      SetNamedSecurityInfoW(const_cast<wchar_t*>(wpath.c_str()), SE_FILE_OBJECT, info, nullptr, nullptr, dacl, nullptr);
  if (err != ERROR_SUCCESS) throw_win32("SetNamedSecurityInfoW", path, err);
}

void apply_entry(const std::string& path, EXPLICIT_ACCESS_W& entry) {
  const std::wstring wpath = folder_path(path);
  dacl_read current;
  read_dacl(wpath, path, current);
  api_buffer<ACL, LocalFree> updated;
  const DWORD err = SetEntriesInAclW(1, &entry, current.dacl, updated.out());
  if (err != ERROR_SUCCESS) throw_win32("SetEntriesInAclW", path, err);
  write_dacl(wpath, path, updated.get(), current.is_protected);
}

void set_sid_trustee(EXPLICIT_ACCESS_W& entry, PSID sid) {
  entry.Trustee.TrusteeForm = TRUSTEE_IS_SID;
  entry.Trustee.TrusteeType = TRUSTEE_IS_UNKNOWN;
  entry.Trustee.ptstrName = static_cast<LPWSTR>(sid);
}

}  // namespace

folder_acl win32_backend::get_acl(const std::string& path) const {
  const std::wstring wpath = folder_path(path);
  dacl_read current;
  read_dacl(wpath, path, current);
  folder_acl out;
  out.path = path;
  out.inheritance_protected = current.is_protected;
  if (current.dacl == nullptr) {
    // A NULL DACL grants everyone everything; say so as the ACE it amounts to.
    out.aces.push_back(ace{ace_type::allow, "Everyone", "S-1-1-0", access_mask::full_control,
                           ace_flag::object_inherit | ace_flag::container_inherit});
    return out;
  }
  ACL_SIZE_INFORMATION size{};
  if (!GetAclInformation(current.dacl, &size, sizeof(size), AclSizeInformation)) {
    throw_win32("GetAclInformation", path, GetLastError());
  }
  for (DWORD i = 0; i < size.AceCount; ++i) {
    void* raw = nullptr;
    if (!GetAce(current.dacl, i, &raw)) throw_win32("GetAce", path, GetLastError());
    const auto* header = static_cast<const ACE_HEADER*>(raw);
    // Only the plain allow/deny ACEs folders carry; object and callback ACEs
    // (Active Directory, conditional ACEs) are not something this tool sets.
    if (header->AceType != ACCESS_ALLOWED_ACE_TYPE && header->AceType != ACCESS_DENIED_ACE_TYPE) continue;
    const auto* allowed = static_cast<const ACCESS_ALLOWED_ACE*>(raw);  // same layout as ACCESS_DENIED_ACE
    PSID sid = const_cast<DWORD*>(&allowed->SidStart);
    ace entry;
    entry.type = header->AceType == ACCESS_ALLOWED_ACE_TYPE ? ace_type::allow : ace_type::deny;
    entry.sid = sid_to_string(sid);
    entry.trustee = sid_display_name(sid);
    entry.mask = allowed->Mask;
    entry.flags = header->AceFlags & (ace_flag::object_inherit | ace_flag::container_inherit | ace_flag::no_propagate |
                                      ace_flag::inherit_only | ace_flag::inherited);
    out.aces.push_back(std::move(entry));
  }
  return out;
}

void win32_backend::grant_ace(const std::string& path, const ace& entry) {
  const sid_bytes sid = require_sid(entry.sid.empty() ? entry.trustee : entry.sid);
  EXPLICIT_ACCESS_W access{};
  access.grfAccessPermissions = entry.mask;
  access.grfAccessMode = entry.type == ace_type::allow ? GRANT_ACCESS : DENY_ACCESS;
  // The inheritance bits map 1:1 onto grfInheritance (OI=1, CI=2, NP=4, IO=8).
  access.grfInheritance = entry.flags & (ace_flag::object_inherit | ace_flag::container_inherit |
                                         ace_flag::no_propagate | ace_flag::inherit_only);
  set_sid_trustee(access, sid.get());
  apply_entry(path, access);
}

void win32_backend::revoke_aces(const std::string& path, const std::string& trustee) {
  const sid_bytes sid = require_sid(trustee);
  const std::string sid_text = sid.str();
  // No explicit ACE for the trustee: leave the DACL untouched (no write at all).
  const folder_acl current = get_acl(path);
  bool present = false;
  for (const auto& a : current.aces) {
    if ((a.flags & ace_flag::inherited) == 0 && common::iequals(a.sid, sid_text)) present = true;
  }
  if (!present) return;
  EXPLICIT_ACCESS_W access{};
  access.grfAccessMode = REVOKE_ACCESS;
  access.grfInheritance = NO_INHERITANCE;
  set_sid_trustee(access, sid.get());
  apply_entry(path, access);
}

}  // namespace smharden::services::windows::win32

#endif  // _WIN32
