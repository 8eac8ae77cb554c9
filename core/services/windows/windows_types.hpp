// Plain data and constants of the Windows backend interface
// (windows_backend.hpp): std-only apart from the common library's ACE type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <smharden/common/ace.hpp>

namespace smharden::services::windows {

// ---- constants (same values as the Windows SDK; our own names, because
// ---- windows.h defines the SDK names as macros) ---------------------------

/// USER_INFO_*::usriX_flags bits (lmaccess.h).
namespace user_flag {
inline constexpr std::uint32_t script = 0x0001;               // UF_SCRIPT, must be set for NetUserAdd
inline constexpr std::uint32_t account_disabled = 0x0002;     // UF_ACCOUNTDISABLE
inline constexpr std::uint32_t lockout = 0x0010;              // UF_LOCKOUT
inline constexpr std::uint32_t passwd_not_required = 0x0020;  // UF_PASSWD_NOTREQD
inline constexpr std::uint32_t passwd_cant_change = 0x0040;   // UF_PASSWD_CANT_CHANGE
inline constexpr std::uint32_t normal_account = 0x0200;       // UF_NORMAL_ACCOUNT
inline constexpr std::uint32_t dont_expire_passwd = 0x10000;  // UF_DONT_EXPIRE_PASSWD
}  // namespace user_flag

// ACEs and their masks and flags are shared with the acl plugin (common library).
using ::smharden::common::ace;
using ::smharden::common::ace_type;
namespace access_mask = ::smharden::common::access_mask;
namespace ace_flag = ::smharden::common::ace_flag;

/// Account rights (ntsecapi.h SE_*_NAME).
inline constexpr const char* service_logon_right = "SeServiceLogonRight";
inline constexpr const char* deny_service_logon_right = "SeDenyServiceLogonRight";

// ---- plain data ------------------------------------------------------------

/// One local user (NetUserGetInfo level 4).
struct user_info {
  std::string name;               ///< usri4_name, without domain
  std::string sid;                ///< "S-1-5-21-...-1001"
  std::string description;        ///< usri4_comment ("Description" in lusrmgr.msc)
  std::string full_name;          ///< usri4_full_name
  std::uint32_t flags = 0;        ///< usri4_flags, user_flag::*
  bool password_expired = false;  ///< usri4_password_expired: must change at next logon
};

/// A user to create (NetUserAdd level 1, then level 4 for password_expired).
struct new_user {
  std::string name;
  std::string password;  ///< never stored or logged
  std::string description;
  std::uint32_t flags = user_flag::script | user_flag::dont_expire_passwd;
  bool password_expired = false;
};

/// Changes to an existing user; unset fields are left as they are
/// (NetUserSetInfo 1008 flags, 1007 comment, level 4 password_expired).
struct user_update {
  std::optional<std::uint32_t> flags;
  std::optional<std::string> description;
  std::optional<bool> password_expired;
};

/// A resolved account (LookupAccountNameW).
struct account_ref {
  std::string domain;  ///< "COMPUTER", "BUILTIN", "NT AUTHORITY"
  std::string name;    ///< "smartermail-svc", "Administrators", "SYSTEM"
  std::string sid;
};

/// A folder's DACL (GetNamedSecurityInfoW, DACL_SECURITY_INFORMATION).
struct folder_acl {
  std::string path;                    ///< as given, Windows form "C:\..."
  bool inheritance_protected = false;  ///< SE_DACL_PROTECTED
  std::vector<ace> aces;
};

enum class service_state { stopped, start_pending, stop_pending, running, continue_pending, pause_pending, paused };

/// The state's name in service JSON ("running", "stop_pending", …).
inline const char* to_string(service_state s) {
  switch (s) {
    case service_state::stopped:
      return "stopped";
    case service_state::start_pending:
      return "start_pending";
    case service_state::stop_pending:
      return "stop_pending";
    case service_state::running:
      return "running";
    case service_state::continue_pending:
      return "continue_pending";
    case service_state::pause_pending:
      return "pause_pending";
    case service_state::paused:
      return "paused";
  }
  return "stopped";
}
enum class service_start_type { boot, system, automatic, demand, disabled };

/// The start type's name in service JSON ("auto", "demand", …).
inline const char* to_string(service_start_type t) {
  switch (t) {
    case service_start_type::boot:
      return "boot";
    case service_start_type::system:
      return "system";
    case service_start_type::automatic:
      return "auto";
    case service_start_type::demand:
      return "demand";
    case service_start_type::disabled:
      return "disabled";
  }
  return "demand";
}

/// One Windows service (QueryServiceConfigW + QueryServiceStatusEx).
struct service_info {
  std::string name;  ///< SCM key name
  std::string display_name;
  std::string account;  ///< lpServiceStartName exactly as the SCM returns it, e.g. "LocalSystem", ".\smsvc"
  std::string binary_path;
  service_state state = service_state::stopped;
  service_start_type start_type = service_start_type::demand;
};

}  // namespace smharden::services::windows
