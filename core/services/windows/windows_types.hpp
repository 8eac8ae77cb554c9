// Plain data and constants of the Windows backend interface
// (windows_backend.hpp): std-only, so the pure logic files and the plugins
// that compile them need nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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

/// ACE access masks (winnt.h).
namespace access_mask {
inline constexpr std::uint32_t read_execute = 0x1200A9;  // FILE_GENERIC_READ|FILE_GENERIC_EXECUTE
inline constexpr std::uint32_t modify = 0x1301BF;        // FILE_GENERIC_READ|WRITE|EXECUTE|DELETE
inline constexpr std::uint32_t full_control = 0x1F01FF;  // FILE_ALL_ACCESS
}  // namespace access_mask

/// ACE_HEADER::AceFlags bits (winnt.h).
namespace ace_flag {
inline constexpr std::uint32_t object_inherit = 0x01;     // OBJECT_INHERIT_ACE (OI)
inline constexpr std::uint32_t container_inherit = 0x02;  // CONTAINER_INHERIT_ACE (CI)
inline constexpr std::uint32_t no_propagate = 0x04;       // NO_PROPAGATE_INHERIT_ACE (NP)
inline constexpr std::uint32_t inherit_only = 0x08;       // INHERIT_ONLY_ACE (IO)
inline constexpr std::uint32_t inherited = 0x10;          // INHERITED_ACE (ID)
}  // namespace ace_flag

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

enum class ace_type { allow, deny };

/// One ACE of a folder's DACL, in DACL order.
struct ace {
  ace_type type = ace_type::allow;
  std::string trustee;      ///< "DOMAIN\name" when resolvable, else the SID string
  std::string sid;          ///< always set by get_acl; optional in grant_ace (then trustee is resolved)
  std::uint32_t mask = 0;   ///< access_mask::*
  std::uint32_t flags = 0;  ///< ace_flag::*; `inherited` marks ACEs that came from the parent
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
