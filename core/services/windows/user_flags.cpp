#include "services/windows/user_flags.hpp"

#include "services/windows/windows_types.hpp"

namespace smharden::services::windows {
namespace {

std::uint32_t with_bit(std::uint32_t flags, std::uint32_t bit, bool on) { return on ? (flags | bit) : (flags & ~bit); }

}  // namespace

user_flag_state decode_user_flags(std::uint32_t flags, bool password_expired) {
  user_flag_state s;
  s.password_never_expires = (flags & user_flag::dont_expire_passwd) != 0;
  s.disabled = (flags & user_flag::account_disabled) != 0;
  s.locked_out = (flags & user_flag::lockout) != 0;
  s.must_change_password = password_expired;
  return s;
}

std::uint32_t encode_user_flags(std::uint32_t current, const user_flag_state& state) {
  std::uint32_t flags = current | user_flag::script;
  flags = with_bit(flags, user_flag::dont_expire_passwd, state.password_never_expires);
  flags = with_bit(flags, user_flag::account_disabled, state.disabled);
  if (!state.locked_out) flags &= ~user_flag::lockout;
  return flags;
}

std::uint32_t new_service_user_flags() { return user_flag::script | user_flag::dont_expire_passwd; }

user_flag_state hardened_user_flag_state() {
  user_flag_state s;
  s.password_never_expires = true;
  return s;
}

std::vector<std::string> user_flag_differences(const user_flag_state& current, const user_flag_state& desired) {
  std::vector<std::string> out;
  if (current.password_never_expires != desired.password_never_expires) out.emplace_back("password_never_expires");
  if (current.disabled != desired.disabled) out.emplace_back("disabled");
  if (current.locked_out != desired.locked_out) out.emplace_back("locked_out");
  if (current.must_change_password != desired.must_change_password) out.emplace_back("must_change_password");
  return out;
}

}  // namespace smharden::services::windows
