#include <catch2/catch.hpp>

#include <smharden/common/ace_match.hpp>

using namespace smharden::common;

namespace {
const std::string user_sid = "S-1-5-21-1-2-3-1001";
constexpr std::uint32_t oici = ace_flag::object_inherit | ace_flag::container_inherit;

ace allow(std::string sid, std::uint32_t mask, std::uint32_t flags) {
  return ace{ace_type::allow, "", std::move(sid), mask, flags};
}
}  // namespace

TEST_CASE("an explicit Modify OI|CI ACE for the SID satisfies the guide", "[windows][ace]") {
  const ace_requirement req{user_sid};
  CHECK(ace_satisfies(allow(user_sid, access_mask::modify, oici), req));
  CHECK(ace_satisfies(allow("s-1-5-21-1-2-3-1001", access_mask::full_control, oici), req));
  CHECK(ace_satisfies(allow(user_sid, access_mask::modify, oici | ace_flag::inherited), req));
}

TEST_CASE("ACEs that fall short are not counted", "[windows][ace]") {
  const ace_requirement req{user_sid};
  CHECK_FALSE(ace_satisfies(allow(user_sid, access_mask::read_execute, oici), req));
  CHECK_FALSE(ace_satisfies(allow(user_sid, access_mask::modify, ace_flag::container_inherit), req));
  CHECK_FALSE(ace_satisfies(allow(user_sid, access_mask::modify, 0), req));
  CHECK_FALSE(ace_satisfies(allow(user_sid, access_mask::modify, oici | ace_flag::inherit_only), req));
  CHECK_FALSE(ace_satisfies(allow(user_sid, access_mask::modify, oici | ace_flag::no_propagate), req));
  CHECK_FALSE(ace_satisfies(allow("S-1-5-32-545", access_mask::modify, oici), req));
  CHECK_FALSE(ace_satisfies(ace{ace_type::deny, "", user_sid, access_mask::modify, oici}, req));
}

TEST_CASE("generic rights are mapped before comparing", "[windows][ace]") {
  CHECK(map_generic_file_rights(0x10000000u) == access_mask::full_control);
  CHECK(map_generic_file_rights(0x80000000u | 0x20000000u) == access_mask::read_execute);
  CHECK(ace_satisfies(allow(user_sid, 0x10000000u, oici), ace_requirement{user_sid}));
}

TEST_CASE("several allow ACEs together can grant Modify", "[windows][ace]") {
  const std::vector<ace> dacl{allow(user_sid, access_mask::read_execute, oici),
                              allow("S-1-5-18", access_mask::full_control, oici | ace_flag::inherited),
                              allow(user_sid, 0x120116u | 0x10000u, oici)};
  const auto ev = evaluate_aces(dacl, ace_requirement{user_sid});
  CHECK(ev.granted);
  CHECK(ev.effective_mask == access_mask::modify);
  REQUIRE(ev.granting.size() == 2);
  CHECK(ev.granting[0] == 0);
  CHECK(ev.granting[1] == 2);
}

TEST_CASE("a deny ACE for the SID blocks the grant", "[windows][ace]") {
  const std::vector<ace> dacl{ace{ace_type::deny, "", user_sid, 0x10000u /*DELETE*/, oici},
                              allow(user_sid, access_mask::modify, oici)};
  const auto ev = evaluate_aces(dacl, ace_requirement{user_sid});
  CHECK(ev.denied);
  CHECK_FALSE(ev.granted);
}

TEST_CASE("a fresh install's default DACL does not grant the service user", "[windows][ace]") {
  const std::vector<ace> dacl{allow("S-1-5-18", access_mask::full_control, oici | ace_flag::inherited),
                              allow("S-1-5-32-544", access_mask::full_control, oici | ace_flag::inherited),
                              allow("S-1-5-32-545", access_mask::read_execute, oici | ace_flag::inherited)};
  const auto ev = evaluate_aces(dacl, ace_requirement{user_sid});
  CHECK_FALSE(ev.granted);
  CHECK(ev.effective_mask == 0);
}

TEST_CASE("flag and rights names round-trip", "[windows][ace]") {
  CHECK(ace_flag_names(oici | ace_flag::inherited) == std::vector<std::string>{"OI", "CI", "ID"});
  std::uint32_t bit = 0;
  CHECK(parse_ace_flag_name("ci", bit));
  CHECK(bit == ace_flag::container_inherit);
  CHECK_FALSE(parse_ace_flag_name("XX", bit));
  CHECK(access_mask_name(0x1301BF) == "modify");
  CHECK(access_mask_name(0x1301BE).empty());
  std::uint32_t mask = 0;
  CHECK(parse_access_mask_name("Full_Control", mask));
  CHECK(mask == 0x1F01FF);
  CHECK_FALSE(parse_access_mask_name("write", mask));
}
