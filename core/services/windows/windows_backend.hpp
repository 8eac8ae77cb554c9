// The Windows operations smharden needs (local users, group membership,
// account rights, folder ACLs, services), as one interface with two
// implementations: the lab backend (JSON state in a lab folder, any OS) and
// the Win32 backend (NetUser*, LSA, Get/SetNamedSecurityInfo, SCM; _WIN32 only).
// The `windows` service (windows_service.cpp) turns JSON params into these
// calls, so both backends share its validation, undo records and JSON shapes.
//
// Contract for every implementation:
// - Errors are thrown as services::service_error with a stable code:
//   not_found (user/service/folder/account missing), conflict (already exists),
//   refused (access denied, read-only backend), invalid_params (bad name),
//   unavailable (backend cannot serve at all), failed (anything else; the
//   message names the API and the Win32/NTSTATUS code, never a password).
// - Read operations never change anything.
// - Passwords are passed in only; no backend stores, logs or returns them.
// - Names are Windows account names as an operator writes them: "user",
//   ".\user", "COMPUTER\user", "BUILTIN\Administrators", "NT AUTHORITY\SYSTEM",
//   "LocalSystem", or a string SID "S-1-5-...". Backends resolve them.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "services/service_registry.hpp"  // service_error
#include "services/windows/windows_types.hpp"

namespace smharden::services::windows {

// ---- the interface -----------------------------------------------------------

class windows_backend {
 public:
  windows_backend() = default;
  windows_backend(const windows_backend&) = delete;
  windows_backend& operator=(const windows_backend&) = delete;
  virtual ~windows_backend() = default;

  /// "lab", "win32", ... for messages.
  virtual std::string kind() const = 0;
  /// False for the offline (read-only) lab backend: mutating calls throw "refused".
  virtual bool writable() const = 0;
  /// The computer name (GetComputerNameW), used to compare "COMPUTER\user".
  virtual std::string computer_name() const = 0;

  // accounts
  /// nullopt when the account does not resolve (ERROR_NONE_MAPPED 1332).
  virtual std::optional<account_ref> lookup_account(const std::string& name) const = 0;

  // local users
  /// nullopt when the user does not exist (NERR_UserNotFound 2221).
  virtual std::optional<user_info> get_user(const std::string& name) const = 0;
  /// conflict when it exists (NERR_UserExists 2224); invalid_params when the
  /// password does not meet the policy (NERR_PasswordTooShort 2245).
  virtual void create_user(const new_user& user) = 0;
  virtual void update_user(const std::string& name, const user_update& update) = 0;
  virtual void set_password(const std::string& name, const std::string& password) = 0;
  virtual void delete_user(const std::string& name) = 0;

  // local groups (NetLocalGroupGetMembers / NetUserGetLocalGroups / NetLocalGroupAdd|DelMembers)
  /// Members as "DOMAIN\name"; not_found when the group does not exist.
  virtual std::vector<std::string> group_members(const std::string& group) const = 0;
  /// Local groups the user belongs to directly (names without domain).
  virtual std::vector<std::string> user_groups(const std::string& user) const = 0;
  virtual void add_group_member(const std::string& group, const std::string& account) = 0;
  virtual void remove_group_member(const std::string& group, const std::string& account) = 0;

  // account rights (LsaEnumerateAccountRights / LsaAddAccountRights / LsaRemoveAccountRights)
  /// Rights held directly by the account; empty when it has none
  /// (STATUS_OBJECT_NAME_NOT_FOUND is "none", not an error).
  virtual std::vector<std::string> account_rights(const std::string& account) const = 0;
  virtual void grant_right(const std::string& account, const std::string& right) = 0;
  virtual void revoke_right(const std::string& account, const std::string& right) = 0;

  // folder ACLs (GetNamedSecurityInfoW / SetEntriesInAclW / SetNamedSecurityInfoW)
  /// not_found when the folder does not exist.
  virtual folder_acl get_acl(const std::string& path) const = 0;
  /// Adds one explicit ACE: allow = GRANT_ACCESS (merges the mask into an
  /// explicit allow ACE of the same trustee and flags), deny = DENY_ACCESS.
  /// `entry.flags` carries the inheritance (OI|CI = SUB_CONTAINERS_AND_OBJECTS_INHERIT);
  /// the `inherited` bit is ignored. Inheritable ACEs propagate to children.
  virtual void grant_ace(const std::string& path, const ace& entry) = 0;
  /// Removes every explicit ACE (allow and deny) of the trustee (REVOKE_ACCESS).
  /// Inherited ACEs stay. No-op when there is none.
  virtual void revoke_aces(const std::string& path, const std::string& trustee) = 0;

  // services (OpenSCManagerW / OpenServiceW / QueryServiceConfigW / ChangeServiceConfigW / ControlService /
  // StartServiceW)
  /// nullopt when the service does not exist (ERROR_SERVICE_DOES_NOT_EXIST 1060).
  virtual std::optional<service_info> get_service(const std::string& name) const = 0;
  /// The key names of every Win32 service (EnumServicesStatusExW).
  virtual std::vector<std::string> service_names() const = 0;
  /// ChangeServiceConfigW(lpServiceStartName = account, lpPassword = password).
  /// password nullopt = keep the stored one (NULL); "" for built-in accounts.
  virtual void set_service_logon(const std::string& name, const std::string& account,
                                 const std::optional<std::string>& password) = 0;
  /// Stops and waits until SERVICE_STOPPED (bounded by dwWaitHint / a timeout,
  /// then "failed"). Already stopped: no-op.
  virtual void stop_service(const std::string& name) = 0;
  /// Starts and waits until SERVICE_RUNNING. Already running: no-op.
  /// Logon failure (ERROR_SERVICE_LOGON_FAILED 1069) throws "failed" naming it.
  virtual void start_service(const std::string& name) = 0;
};

#ifdef _WIN32
/// The real backend (core/services/windows/win32/), for --target local.
std::unique_ptr<windows_backend> make_win32_backend();
#endif

}  // namespace smharden::services::windows
