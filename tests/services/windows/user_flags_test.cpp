#include <catch2/catch.hpp>

#include "services/windows/user_flags.hpp"
#include "services/windows/windows_types.hpp"

using namespace smharden::services::windows;

TEST_CASE("user flags decode into the guide's properties", "[windows][flags]") {
  const auto st =
      decode_user_flags(user_flag::script | user_flag::dont_expire_passwd | user_flag::account_disabled, true);
  CHECK(st.password_never_expires);
  CHECK(st.disabled);
  CHECK_FALSE(st.locked_out);
  CHECK(st.must_change_password);
  CHECK_FALSE(decode_user_flags(user_flag::script, false).password_never_expires);
}

TEST_CASE("hardening flags set DONT_EXPIRE_PASSWD, clear DISABLED and keep unrelated bits", "[windows][flags]") {
  const std::uint32_t current = user_flag::account_disabled | user_flag::passwd_cant_change | user_flag::normal_account;
  const std::uint32_t out = encode_user_flags(current, hardened_user_flag_state());
  CHECK((out & user_flag::dont_expire_passwd) != 0);
  CHECK((out & user_flag::account_disabled) == 0);
  CHECK((out & user_flag::script) != 0);
  CHECK((out & user_flag::passwd_cant_change) != 0);
  CHECK((out & user_flag::normal_account) != 0);
}

TEST_CASE("lockout can be cleared but never set by encoding", "[windows][flags]") {
  user_flag_state st = decode_user_flags(user_flag::lockout, false);
  CHECK(st.locked_out);
  CHECK((encode_user_flags(user_flag::lockout, st) & user_flag::lockout) != 0);
  st.locked_out = false;
  CHECK((encode_user_flags(user_flag::lockout, st) & user_flag::lockout) == 0);
  user_flag_state set_lock;
  set_lock.locked_out = true;
  CHECK((encode_user_flags(0, set_lock) & user_flag::lockout) == 0);
}

TEST_CASE("a new service user gets UF_SCRIPT and UF_DONT_EXPIRE_PASSWD only", "[windows][flags]") {
  CHECK(new_service_user_flags() == 0x10001u);
  CHECK(decode_user_flags(new_service_user_flags(), false).password_never_expires);
}

TEST_CASE("flag differences name each deviating property in order", "[windows][flags]") {
  const auto current = decode_user_flags(user_flag::account_disabled, true);
  const auto diffs = user_flag_differences(current, hardened_user_flag_state());
  REQUIRE(diffs.size() == 3);
  CHECK(diffs[0] == "password_never_expires");
  CHECK(diffs[1] == "disabled");
  CHECK(diffs[2] == "must_change_password");
  CHECK(user_flag_differences(hardened_user_flag_state(), hardened_user_flag_state()).empty());
}
