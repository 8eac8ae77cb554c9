#include <catch2/catch.hpp>

#include "lab_fixture.hpp"

using namespace smharden;
using smharden::services::access;
using smharden::services::service_error;
using json = nlohmann::json;

using smharden::test::code_of;
using smharden::test::data_dir;
using smharden::test::strong;

namespace {

void create_svc_user(test::windows_lab& lab) {
  lab.secrets["service_password"] = strong;
  lab.call("windows.user.create",
           {{"name", "smartermail-svc"}, {"password_secret", "service_password"}, {"description", "SmarterMail"}});
}
}  // namespace

TEST_CASE("every windows method is declared read-only or mutating as documented", "[windows][service]") {
  test::windows_lab lab;
  const std::vector<std::string> read_only{
      "windows.account.lookup",    "windows.user.get",    "windows.groups.members",  "windows.rights.get",
      "windows.acl.get",           "windows.service.get", "windows.random.password", "windows.firewall.rules.list",
      "windows.smartermail.locate"};
  const std::vector<std::string> mutating{
      "windows.user.create",          "windows.user.update",       "windows.user.set_password",
      "windows.user.delete",          "windows.groups.add_member", "windows.groups.remove_member",
      "windows.rights.grant",         "windows.rights.revoke",     "windows.acl.grant",
      "windows.acl.revoke",           "windows.service.set_logon", "windows.service.stop",
      "windows.service.start",        "windows.service.restart",   "windows.firewall.rules.set",
      "windows.firewall.rules.remove"};
  for (const auto& n : read_only) {
    INFO(n);
    REQUIRE(lab.registry.find(n) != nullptr);
    CHECK(lab.registry.find(n)->kind == access::read_only);
  }
  for (const auto& n : mutating) {
    INFO(n);
    REQUIRE(lab.registry.find(n) != nullptr);
    CHECK(lab.registry.find(n)->kind == access::mutating);
    CHECK(lab.registry.find(n)->undo);
  }
  CHECK(lab.registry.all().size() == read_only.size() + mutating.size());
}

TEST_CASE("read-only methods write nothing", "[windows][service]") {
  test::windows_lab lab;
  const auto before = lab.state_text();
  CHECK(lab.call("windows.user.get", {{"name", "smartermail-svc"}})["exists"] == false);
  CHECK(lab.call("windows.service.get", {{"name", "SmarterMail"}})["account"] == "LocalSystem");
  CHECK(lab.call("windows.acl.get", {{"path", data_dir}})["aces"].size() == 3);
  CHECK(lab.call("windows.acl.get", {{"path", "C:\\Missing"}})["exists"] == false);
  CHECK(lab.call("windows.rights.get", {{"account", "nobody"}})["exists"] == false);
  CHECK(lab.call("windows.groups.members", {{"group", "Administrators"}})["members"][0] == "SMLAB\\Administrator");
  CHECK(lab.call("windows.random.password", json::object())["password"].get<std::string>().size() == 24);
  CHECK(lab.state_text() == before);
  CHECK(lab.announced.empty());
}

TEST_CASE("passwords come only from secrets, never from params", "[windows][service]") {
  test::windows_lab lab;
  try {
    lab.call("windows.user.create", {{"name", "u1"}, {"password", strong}});
    FAIL("a password value in params must be refused");
  } catch (const service_error& e) {
    CHECK(e.code() == "invalid_params");
    CHECK(std::string(e.what()).find(strong) == std::string::npos);
    CHECK(std::string(e.what()).find("password_secret") != std::string::npos);
  }
  try {
    lab.call("windows.user.create", {{"name", "u1"}, {"password_secret", "service_password"}});
    FAIL("a missing secret must be refused");
  } catch (const service_error& e) {
    CHECK(e.code() == "invalid_params");
    CHECK(std::string(e.what()).find("SMHARDEN_SECRET_SERVICE_PASSWORD") != std::string::npos);
  }
  CHECK(code_of([&] { lab.call("windows.user.get", {{"name", "x"}, {"bogus", 1}}); }) == "invalid_params");
  CHECK(code_of([&] { lab.call("windows.user.get", json::object()); }) == "invalid_params");
}

TEST_CASE("user create is undone by delete", "[windows][service][undo]") {
  test::windows_lab lab;
  const auto before = lab.state_text();
  lab.secrets["service_password"] = strong;
  const json params = {{"name", "smartermail-svc"}, {"password_secret", "service_password"}, {"description", "d"}};
  const auto rec = lab.call_journaled("windows.user.create", params);
  REQUIRE(rec.calls.size() == 1);
  CHECK(rec.calls[0]["method"] == "windows.user.delete");
  CHECK(rec.needs_secrets.empty());
  const auto u = lab.call("windows.user.get", {{"name", "smartermail-svc"}});
  CHECK(u["password_never_expires"] == true);
  CHECK(u["must_change_password"] == false);
  CHECK(u["disabled"] == false);
  CHECK(u["description"] == "d");
  CHECK(lab.state_text().find(strong) == std::string::npos);
  lab.replay(rec);
  CHECK(lab.call("windows.user.get", {{"name", "smartermail-svc"}})["exists"] == false);
  CHECK(lab.announced.size() == 1);
  (void)before;
}

TEST_CASE("user update is undone to the previous values of the changed fields", "[windows][service][undo]") {
  test::windows_lab lab;
  create_svc_user(lab);
  lab.call("windows.user.update", {{"name", "smartermail-svc"},
                                   {"password_never_expires", false},
                                   {"must_change_password", true},
                                   {"disabled", true}});
  const auto before = lab.call("windows.user.get", {{"name", "smartermail-svc"}});
  const json fix = {{"name", "smartermail-svc"},
                    {"password_never_expires", true},
                    {"must_change_password", false},
                    {"disabled", false},
                    {"description", "new"}};
  const auto rec = lab.call_journaled("windows.user.update", fix);
  const auto after = lab.call("windows.user.get", {{"name", "smartermail-svc"}});
  CHECK(after["password_never_expires"] == true);
  CHECK(after["description"] == "new");
  REQUIRE(rec.calls.size() == 1);
  CHECK(rec.calls[0]["params"]["description"] == "SmarterMail");
  lab.replay(rec);
  CHECK(lab.call("windows.user.get", {{"name", "smartermail-svc"}}) == before);
}

TEST_CASE("set_password's undo names the previous password secret", "[windows][service][undo]") {
  test::windows_lab lab;
  create_svc_user(lab);
  lab.secrets["new_pw"] = "N3w!Password#22";
  const auto rec =
      lab.call_journaled("windows.user.set_password", {{"name", "smartermail-svc"}, {"password_secret", "new_pw"}});
  REQUIRE(rec.needs_secrets.size() == 1);
  CHECK(rec.needs_secrets[0] == "previous_password_smartermail_svc");
  CHECK(rec.calls[0]["params"]["password_secret"] == "previous_password_smartermail_svc");
  CHECK(rec.calls.dump().find("N3w!") == std::string::npos);
}

TEST_CASE("user delete's undo re-creates the user and its groups", "[windows][service][undo]") {
  test::windows_lab lab;
  create_svc_user(lab);
  lab.call("windows.groups.add_member", {{"group", "Administrators"}, {"account", "smartermail-svc"}});
  const auto rec = lab.call_journaled("windows.user.delete", {{"name", "smartermail-svc"}});
  CHECK(lab.call("windows.user.get", {{"name", "smartermail-svc"}})["exists"] == false);
  REQUIRE(rec.calls.size() == 2);
  CHECK(rec.calls[0]["method"] == "windows.user.create");
  CHECK(rec.calls[1]["method"] == "windows.groups.add_member");
  REQUIRE(rec.needs_secrets.size() == 1);
  lab.secrets[rec.needs_secrets[0]] = strong;
  lab.replay(rec);
  const auto u = lab.call("windows.user.get", {{"name", "smartermail-svc"}});
  CHECK(u["groups"] == json::array({"Administrators", "Users"}));
}

TEST_CASE("group member removal is undone by adding it back", "[windows][service][undo]") {
  test::windows_lab lab;
  create_svc_user(lab);
  lab.call("windows.groups.add_member", {{"group", "Administrators"}, {"account", "smartermail-svc"}});
  const auto with_admin = lab.state_text();
  const auto rec =
      lab.call_journaled("windows.groups.remove_member", {{"group", "Administrators"}, {"account", "smartermail-svc"}});
  CHECK(lab.call("windows.groups.members", {{"group", "Administrators"}})["members"].size() == 1);
  lab.replay(rec);
  CHECK(lab.state_text() == with_admin);
}

TEST_CASE("rights grant is undone by revoke, and a no-op grant has an empty undo", "[windows][service][undo]") {
  test::windows_lab lab;
  create_svc_user(lab);
  const auto before = lab.state_text();
  const json p = {{"account", "smartermail-svc"}, {"right", "SeServiceLogonRight"}};
  const auto rec = lab.call_journaled("windows.rights.grant", p);
  CHECK(lab.call("windows.rights.get", {{"account", ".\\smartermail-svc"}})["rights"] ==
        json::array({"SeServiceLogonRight"}));
  REQUIRE(rec.calls.size() == 1);
  CHECK(rec.calls[0]["method"] == "windows.rights.revoke");
  CHECK(lab.undo("windows.rights.grant", p).calls.empty());
  lab.replay(rec);
  CHECK(lab.state_text() == before);
  CHECK(code_of([&] {
          lab.call("windows.rights.grant", {{"account", "smartermail-svc"}, {"right", "Bogus"}});
        }) == "invalid_params");
}

TEST_CASE("ACL grant is undone exactly, including a previous explicit ACE", "[windows][service][undo]") {
  test::windows_lab lab;
  create_svc_user(lab);
  lab.call("windows.acl.grant", {{"path", data_dir}, {"trustee", "smartermail-svc"}, {"rights", "read_execute"}});
  const auto before = lab.state_text();
  const auto before_acl = lab.call("windows.acl.get", {{"path", data_dir}});
  const json p = {
      {"path", data_dir}, {"trustee", "smartermail-svc"}, {"rights", "modify"}, {"inheritance", {"OI", "CI"}}};
  const auto rec = lab.call_journaled("windows.acl.grant", p);
  const auto acl = lab.call("windows.acl.get", {{"path", data_dir}});
  CHECK(acl["aces"][0]["rights"] == "modify");
  CHECK(acl["aces"][0]["flags"] == json::array({"OI", "CI"}));
  REQUIRE(rec.calls.size() == 2);
  CHECK(rec.calls[0]["method"] == "windows.acl.revoke");
  CHECK(rec.calls[1]["method"] == "windows.acl.grant");
  lab.replay(rec);
  CHECK(lab.call("windows.acl.get", {{"path", data_dir}}) == before_acl);
  CHECK(lab.state_text() == before);
}

TEST_CASE("ACL grant on a missing folder fails with not_found and an empty undo", "[windows][service][undo]") {
  test::windows_lab lab;
  create_svc_user(lab);
  const json p = {{"path", "C:\\Nope"}, {"trustee", "smartermail-svc"}, {"rights", "modify"}};
  const auto rec = lab.undo("windows.acl.grant", p);
  CHECK(rec.calls.size() == 1);  // the revoke; no previous ACEs to restore
  CHECK(code_of([&] { lab.call("windows.acl.grant", p); }) == "not_found");
  CHECK(code_of([&] {
          lab.call("windows.acl.grant", {{"path", data_dir}, {"trustee", "smartermail-svc"}});
        }) == "invalid_params");
}

TEST_CASE("set_logon's undo goes back to LocalSystem without secrets", "[windows][service][undo]") {
  test::windows_lab lab;
  create_svc_user(lab);
  const auto before = lab.call("windows.service.get", {{"name", "SmarterMail"}});
  const json p = {{"name", "SmarterMail"}, {"account", ".\\smartermail-svc"}, {"password_secret", "service_password"}};
  const auto rec = lab.call_journaled("windows.service.set_logon", p);
  CHECK(lab.call("windows.service.get", {{"name", "SmarterMail"}})["account"] == ".\\smartermail-svc");
  CHECK(rec.needs_secrets.empty());
  REQUIRE(rec.calls.size() == 1);
  CHECK(rec.calls[0]["params"]["account"] == "LocalSystem");
  lab.replay(rec);
  CHECK(lab.call("windows.service.get", {{"name", "SmarterMail"}}) == before);
}

TEST_CASE("set_logon's undo from a custom account needs that account's password secret", "[windows][service][undo]") {
  test::windows_lab lab;
  create_svc_user(lab);
  lab.call("windows.service.set_logon",
           {{"name", "SmarterMail"}, {"account", ".\\smartermail-svc"}, {"password_secret", "service_password"}});
  const auto rec = lab.undo("windows.service.set_logon", {{"name", "SmarterMail"}, {"account", "LocalSystem"}});
  REQUIRE(rec.needs_secrets.size() == 1);
  CHECK(rec.needs_secrets[0] == "previous_service_password_smartermail");
  CHECK(rec.calls[0]["params"]["password_secret"] == "previous_service_password_smartermail");
  CHECK(rec.calls[0]["params"]["account"] == ".\\smartermail-svc");
}

TEST_CASE("set_logon to a custom account without a password is refused", "[windows][service]") {
  test::windows_lab lab;
  create_svc_user(lab);
  CHECK(code_of([&] {
          lab.call("windows.service.set_logon", {{"name", "SmarterMail"}, {"account", ".\\smartermail-svc"}});
        }) == "invalid_params");
  CHECK(code_of([&] {
          lab.call("windows.service.set_logon",
                   {{"name", "SmarterMail"}, {"account", ".\\smartermail-svc"}, {"password_secret", "nope"}});
        }) == "invalid_params");
}

TEST_CASE("stop/start are undone to the previous state and restart has an empty undo", "[windows][service][undo]") {
  test::windows_lab lab;
  const auto stop = lab.call_journaled("windows.service.stop", {{"name", "SmarterMail"}});
  CHECK(lab.call("windows.service.get", {{"name", "SmarterMail"}})["state"] == "stopped");
  REQUIRE(stop.calls.size() == 1);
  CHECK(stop.calls[0]["method"] == "windows.service.start");
  CHECK(lab.undo("windows.service.stop", {{"name", "SmarterMail"}}).calls.empty());
  lab.replay(stop);
  CHECK(lab.call("windows.service.get", {{"name", "SmarterMail"}})["state"] == "running");
  CHECK(lab.undo("windows.service.restart", {{"name", "SmarterMail"}}).calls.empty());
  lab.call("windows.service.restart", {{"name", "SmarterMail"}});
  CHECK(lab.call("windows.service.get", {{"name", "SmarterMail"}})["state"] == "running");
  CHECK(code_of([&] { lab.call("windows.service.start", {{"name", "Nope"}}); }) == "not_found");
}

TEST_CASE("an offline target without Windows state answers unavailable", "[windows][service]") {
  test::windows_lab lab(services::target_kind::offline, /*seed=*/false);
  CHECK(code_of([&] { lab.call("windows.user.get", {{"name", "x"}}); }) == "unavailable");
  CHECK(code_of([&] { lab.call("windows.service.stop", {{"name", "SmarterMail"}}); }) == "unavailable");
}

TEST_CASE("an offline target with Windows state is readable and refuses writes", "[windows][service]") {
  test::windows_lab lab(services::target_kind::offline);
  const auto before = lab.state_text();
  CHECK(lab.call("windows.service.get", {{"name", "SmarterMail"}})["exists"] == true);
  CHECK(code_of([&] { lab.call("windows.service.stop", {{"name", "SmarterMail"}}); }) == "refused");
  CHECK(lab.state_text() == before);
}

#ifndef _WIN32
TEST_CASE("the local target answers unavailable off Windows", "[windows][service]") {
  test::windows_lab lab(services::target_kind::local, /*seed=*/false);
  CHECK(code_of([&] { lab.call("windows.service.get", {{"name", "SmarterMail"}}); }) == "unavailable");
}
#endif

TEST_CASE("random passwords are fresh on each call and length-checked", "[windows][service]") {
  test::windows_lab lab;
  const auto a = lab.call("windows.random.password", {{"length", 32}})["password"].get<std::string>();
  const auto b = lab.call("windows.random.password", {{"length", 32}})["password"].get<std::string>();
  CHECK(a.size() == 32);
  CHECK(a != b);
  CHECK(code_of([&] { lab.call("windows.random.password", {{"length", 8}}); }) == "invalid_params");
}
