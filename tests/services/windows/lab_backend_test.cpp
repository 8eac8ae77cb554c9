#include <catch2/catch.hpp>
#include <set>
#include <smharden/common/ace_match.hpp>

#include "lab_fixture.hpp"
#include "services/windows/user_flags.hpp"

using namespace smharden;
using namespace smharden::services::windows;
using smharden::services::service_error;

using smharden::test::code_of;
using smharden::test::data_dir;
using smharden::test::strong;

namespace {
const std::string install_dir = "C:\\Program Files (x86)\\SmarterTools\\SmarterMail";

new_user svc_user() {
  new_user u;
  u.name = "smartermail-svc";
  u.password = strong;
  u.description = "SmarterMail service";
  u.flags = new_service_user_flags();
  return u;
}
}  // namespace

TEST_CASE("the seeded lab is a fresh SmarterMail install", "[windows][lab]") {
  test::windows_lab lab;
  auto b = lab.backend();
  const auto svc = b.get_service("smartermail");
  REQUIRE(svc);
  CHECK(svc->name == "SmarterMail");
  CHECK(svc->account == "LocalSystem");
  CHECK(svc->state == service_state::running);
  CHECK(svc->start_type == service_start_type::automatic);
  CHECK_FALSE(b.get_user("smartermail-svc"));
  CHECK(b.group_members("Administrators") == std::vector<std::string>{"SMLAB\\Administrator"});
  for (const auto& path : {install_dir, data_dir}) {
    const auto acl = b.get_acl(path);
    REQUIRE(acl.aces.size() == 3);
    CHECK(acl.aces[0].trustee == "NT AUTHORITY\\SYSTEM");
    CHECK(acl.aces[0].mask == access_mask::full_control);
    CHECK(acl.aces[1].trustee == "BUILTIN\\Administrators");
    CHECK(acl.aces[2].trustee == "BUILTIN\\Users");
    CHECK(acl.aces[2].mask == access_mask::read_execute);
    for (const auto& a : acl.aces) CHECK((a.flags & ace_flag::inherited) != 0);
  }
}

TEST_CASE("lab state is serialized deterministically", "[windows][lab]") {
  test::windows_lab lab;
  const std::string first = lab.state_text();
  CHECK(first == lab_backend::serialize(lab_backend::fresh_state()));
  CHECK(first.back() == '\n');
  {
    auto b = lab.backend();
    b.grant_right("Users", "SeBatchLogonRight");
    b.revoke_right("Users", "SeBatchLogonRight");
  }
  CHECK(lab.state_text() == first);
}

TEST_CASE("creating a user stores a salted hash, never the password", "[windows][lab]") {
  test::windows_lab lab;
  auto b = lab.backend();
  b.create_user(svc_user());
  const auto u = b.get_user(".\\SMARTERMAIL-SVC");
  REQUIRE(u);
  CHECK(u->name == "smartermail-svc");
  CHECK(u->sid == "S-1-5-21-3623811015-3361044348-30300820-1001");
  CHECK((u->flags & user_flag::dont_expire_passwd) != 0);
  CHECK(b.user_groups("smartermail-svc") == std::vector<std::string>{"Users"});
  const std::string text = lab.state_text();
  CHECK(text.find(strong) == std::string::npos);
  CHECK(text.find("sha256") != std::string::npos);
  CHECK(code_of([&] { b.create_user(svc_user()); }) == "conflict");
  auto weak = svc_user();
  weak.name = "other";
  weak.password = "short";
  CHECK(code_of([&] { b.create_user(weak); }) == "invalid_params");
  auto bad = svc_user();
  bad.name = "a/b";
  CHECK(code_of([&] { b.create_user(bad); }) == "invalid_params");
}

TEST_CASE("every write goes through before_write once and is atomic", "[windows][lab]") {
  test::windows_lab lab;
  int calls = 0;
  lab_backend::options o;
  o.state_file = lab.state_file();
  o.before_write = [&](const std::filesystem::path& p) {
    ++calls;
    CHECK(p == lab.state_file());
  };
  lab_backend b(o);
  b.create_user(svc_user());
  b.grant_right("smartermail-svc", service_logon_right);
  CHECK(calls == 1);
  // No temporary files are left beside the state (and the lab's firewall.json).
  std::set<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(lab.state_file().parent_path())) {
    files.insert(e.path().filename().string());
  }
  CHECK(files == std::set<std::string>{"firewall.json", "state.json"});
}

TEST_CASE("a read-only (offline) backend refuses writes and changes nothing", "[windows][lab]") {
  test::windows_lab lab;
  const std::string before = lab.state_text();
  auto b = lab.backend(false);
  CHECK_FALSE(b.writable());
  CHECK(code_of([&] { b.create_user(svc_user()); }) == "refused");
  CHECK(code_of([&] { b.stop_service("SmarterMail"); }) == "refused");
  CHECK(b.get_service("SmarterMail"));
  CHECK(lab.state_text() == before);
}

TEST_CASE("a missing or corrupt state file is a clear error", "[windows][lab]") {
  test::temp_dir dir{"smharden-windows"};
  lab_backend::options o;
  o.state_file = dir.path() / "windows" / "state.json";
  o.missing_hint = "run smharden lab init";
  lab_backend missing(o);
  try {
    (void)missing.get_user("x");
    FAIL("expected an error");
  } catch (const service_error& e) {
    CHECK(e.code() == "unavailable");
    CHECK(std::string(e.what()).find("smharden lab init") != std::string::npos);
  }
  std::filesystem::create_directories(o.state_file.parent_path());
  util::write_file_atomic(o.state_file, "{\"format\": 1, \"users\": []}");
  lab_backend corrupt(o);
  try {
    (void)corrupt.get_user("x");
    FAIL("expected an error");
  } catch (const service_error& e) {
    CHECK(e.code() == "failed");
    CHECK(std::string(e.what()).find("state.json") != std::string::npos);
  }
}

TEST_CASE("account lookup resolves users, BUILTIN groups, well-known accounts and SIDs", "[windows][lab]") {
  test::windows_lab lab;
  auto b = lab.backend();
  CHECK(b.lookup_account("Administrators")->sid == "S-1-5-32-544");
  CHECK(b.lookup_account("BUILTIN\\Users")->sid == "S-1-5-32-545");
  CHECK(b.lookup_account("LocalSystem")->sid == "S-1-5-18");
  CHECK(b.lookup_account("SMLAB\\Administrator")->name == "Administrator");
  CHECK(b.lookup_account("S-1-5-32-544")->name == "Administrators");
  CHECK_FALSE(b.lookup_account("OTHER\\Administrator"));
  CHECK_FALSE(b.lookup_account("nobody"));
}

TEST_CASE("group membership add, read and remove", "[windows][lab]") {
  test::windows_lab lab;
  auto b = lab.backend();
  b.create_user(svc_user());
  b.add_group_member("Administrators", "smartermail-svc");
  CHECK(b.user_groups("smartermail-svc") == std::vector<std::string>{"Administrators", "Users"});
  CHECK(code_of([&] { b.add_group_member("Administrators", ".\\smartermail-svc"); }) == "conflict");
  b.remove_group_member("Administrators", "smartermail-svc");
  CHECK(b.group_members("Administrators") == std::vector<std::string>{"SMLAB\\Administrator"});
  CHECK(code_of([&] { b.remove_group_member("Administrators", "smartermail-svc"); }) == "not_found");
  CHECK(code_of([&] { (void)b.group_members("NoSuchGroup"); }) == "not_found");
}

TEST_CASE("ACL grant merges, orders and revoke removes only explicit ACEs", "[windows][lab]") {
  test::windows_lab lab;
  auto b = lab.backend();
  b.create_user(svc_user());
  const auto sid = b.get_user("smartermail-svc")->sid;
  const std::uint32_t oici = ace_flag::object_inherit | ace_flag::container_inherit;
  b.grant_ace(data_dir, ace{ace_type::allow, "smartermail-svc", "", access_mask::read_execute, oici});
  b.grant_ace(data_dir, ace{ace_type::allow, "smartermail-svc", "", 0x120116u | 0x10000u, oici});
  auto acl = b.get_acl("c:/smartermail/");
  REQUIRE(acl.aces.size() == 4);
  CHECK(acl.aces[0].sid == sid);
  CHECK(acl.aces[0].mask == access_mask::modify);
  CHECK(acl.aces[0].trustee == "SMLAB\\smartermail-svc");
  CHECK(smharden::common::evaluate_aces(acl.aces, smharden::common::ace_requirement{sid}).granted);
  b.grant_ace(data_dir, ace{ace_type::deny, "smartermail-svc", "", 0x10000u, 0});
  acl = b.get_acl(data_dir);
  CHECK(acl.aces[0].type == ace_type::deny);
  b.revoke_aces(data_dir, "smartermail-svc");
  acl = b.get_acl(data_dir);
  CHECK(acl.aces.size() == 3);
  CHECK(code_of([&] { (void)b.get_acl("C:\\NoSuchFolder"); }) == "not_found");
  CHECK(code_of([&] { b.grant_ace(data_dir, ace{ace_type::allow, "ghost", "", 1, 0}); }) == "not_found");
}

TEST_CASE("service logon needs the right, an enabled user and the user's password", "[windows][lab]") {
  test::windows_lab lab;
  auto b = lab.backend();
  b.create_user(svc_user());
  b.stop_service("SmarterMail");
  b.set_service_logon("SmarterMail", ".\\smartermail-svc", std::string(strong));
  CHECK(b.get_service("SmarterMail")->account == ".\\smartermail-svc");
  CHECK(lab.state_text().find(strong) == std::string::npos);
  // No SeServiceLogonRight yet: ERROR_SERVICE_LOGON_FAILED.
  CHECK(code_of([&] { b.start_service("SmarterMail"); }) == "failed");
  b.grant_right("smartermail-svc", service_logon_right);
  // Wrong password stored for the service.
  b.set_service_logon("SmarterMail", ".\\smartermail-svc", std::string("Wr0ng!Password"));
  CHECK(code_of([&] { b.start_service("SmarterMail"); }) == "failed");
  b.set_service_logon("SmarterMail", ".\\smartermail-svc", std::string(strong));
  b.start_service("SmarterMail");
  CHECK(b.get_service("SmarterMail")->state == service_state::running);
  // A password reset of the user breaks the service's logon, as on Windows.
  b.set_password("smartermail-svc", "An0ther!Password");
  b.stop_service("SmarterMail");
  CHECK(code_of([&] { b.start_service("SmarterMail"); }) == "failed");
  CHECK(code_of([&] { b.set_service_logon("SmarterMail", ".\\ghost", std::string(strong)); }) == "not_found");
  CHECK(code_of([&] { b.set_service_logon("NoSuchService", "LocalSystem", std::string()); }) == "not_found");
}
