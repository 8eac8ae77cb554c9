// The state the guide wants for the service user, as USER_INFO flags and
// the password-expired bit. Pure logic shared by both backends and the
// accounts plugin: what is wrong with a user, and what to write to fix it
// without touching unrelated flag bits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace smharden::services::windows {

/// The user-facing properties the flags and usri4_password_expired encode.
struct user_flag_state {
  bool password_never_expires = false;  ///< UF_DONT_EXPIRE_PASSWD
  bool disabled = false;                ///< UF_ACCOUNTDISABLE
  bool locked_out = false;              ///< UF_LOCKOUT
  bool must_change_password = false;    ///< usri4_password_expired != 0
};

user_flag_state decode_user_flags(std::uint32_t flags, bool password_expired);

/// `current` with the bits of `state` applied and every other bit kept.
/// UF_SCRIPT is always set (NetUserAdd and NetUserSetInfo 1008 require it);
/// locked_out can only be cleared, never set (Windows sets it).
std::uint32_t encode_user_flags(std::uint32_t current, const user_flag_state& state);

/// Flags for NetUserAdd of a new service user: UF_SCRIPT | UF_DONT_EXPIRE_PASSWD (enabled).
std::uint32_t new_service_user_flags();

/// What the guide wants: password never expires, enabled, not locked out, no change at next logon.
user_flag_state hardened_user_flag_state();

/// Names of the properties where `current` differs from `desired`
/// ("password_never_expires", "disabled", "locked_out", "must_change_password"), in that order.
std::vector<std::string> user_flag_differences(const user_flag_state& current, const user_flag_state& desired);

}  // namespace smharden::services::windows
