// windows.firewall.rules.* over the lab backend: the fresh lab's rules, set
// and remove limited to group "smharden", their undo, a lab without the file
// ("not modelled", never open), bad files named with the place and the fix.
#include <catch2/catch.hpp>

#include "lab_fixture.hpp"
#include "services/windows/lab_firewall.hpp"

using namespace smharden;
using smharden::services::service_error;
using json = nlohmann::json;

using smharden::test::code_of;

namespace {

json own_rule(const std::string& name, const std::string& remote = "127.0.0.1,203.0.113.0/24") {
  return {{"name", name},      {"group", "smharden"}, {"enabled", true},       {"direction", "in"},
          {"action", "allow"}, {"protocol", "tcp"},   {"local_ports", "9998"}, {"remote_addresses", remote}};
}

std::filesystem::path firewall_file(const test::windows_lab& lab) {
  return lab.dir.path() / "windows" / "firewall.json";
}

}  // namespace

TEST_CASE("a fresh lab's firewall allows the SmarterMail ports from anywhere", "[windows][firewall]") {
  test::windows_lab lab;
  const json list = lab.call("windows.firewall.rules.list");
  CHECK(list["modelled"] == true);
  std::vector<std::string> ports;
  for (const auto& r : list["rules"]) {
    CHECK(r["remote_addresses"] == "*");
    CHECK(r["action"] == "allow");
    ports.push_back(r["local_ports"]);
  }
  CHECK(ports == std::vector<std::string>{"80", "443", "9998", "25", "587", "110", "995", "143", "993"});
  CHECK(list["rules"][0]["name"] == "World Wide Web Services (HTTP Traffic-In)");
  CHECK(list["rules"][0]["group"] == "World Wide Web Services (HTTP)");
  CHECK(lab.call("windows.firewall.rules.list", {{"group", "smharden"}})["rules"].empty());
}

TEST_CASE("set creates a rule of group smharden, is journaled, and is undone by remove", "[windows][firewall][undo]") {
  test::windows_lab lab;
  const auto before = util::read_file(firewall_file(lab));
  const auto undo = lab.call_journaled("windows.firewall.rules.set", {{"rule", own_rule("smharden: a")}});
  CHECK(std::find(lab.announced.begin(), lab.announced.end(), firewall_file(lab)) != lab.announced.end());
  const json own = lab.call("windows.firewall.rules.list", {{"group", "smharden"}})["rules"];
  REQUIRE(own.size() == 1);
  CHECK(own[0] == own_rule("smharden: a"));
  REQUIRE(undo.calls.size() == 1);
  CHECK(undo.calls[0]["method"] == "windows.firewall.rules.remove");
  lab.replay(undo);
  CHECK(util::read_file(firewall_file(lab)) == before);
}

TEST_CASE("set over an own rule replaces it and is undone to the previous rule", "[windows][firewall][undo]") {
  test::windows_lab lab;
  lab.call("windows.firewall.rules.set", {{"rule", own_rule("smharden: a")}});
  const auto before = util::read_file(firewall_file(lab));
  const auto undo = lab.call_journaled("windows.firewall.rules.set", {{"rule", own_rule("smharden: a", "10.0.0.0/8")}});
  CHECK(lab.call("windows.firewall.rules.list", {{"group", "smharden"}})["rules"][0]["remote_addresses"] ==
        "10.0.0.0/8");
  lab.replay(undo);
  CHECK(util::read_file(firewall_file(lab)) == before);
}

TEST_CASE("remove is undone by re-creating the rule", "[windows][firewall][undo]") {
  test::windows_lab lab;
  lab.call("windows.firewall.rules.set", {{"rule", own_rule("smharden: a")}});
  const auto undo = lab.call_journaled("windows.firewall.rules.remove", {{"name", "smharden: a"}});
  CHECK(lab.call("windows.firewall.rules.list", {{"group", "smharden"}})["rules"].empty());
  lab.replay(undo);
  CHECK(lab.call("windows.firewall.rules.list", {{"group", "smharden"}})["rules"][0] == own_rule("smharden: a"));
}

TEST_CASE("rules of other groups are never changed", "[windows][firewall]") {
  test::windows_lab lab;
  json foreign = own_rule("SmarterMail Web Interface (TCP-In)");
  CHECK(code_of([&] { lab.call("windows.firewall.rules.set", {{"rule", foreign}}); }) == "refused");
  foreign["group"] = "SmarterMail";
  CHECK(code_of([&] { lab.call("windows.firewall.rules.set", {{"rule", foreign}}); }) == "refused");
  CHECK(code_of([&] {
          lab.call("windows.firewall.rules.remove", {{"name", "SmarterMail Web Interface (TCP-In)"}});
        }) == "refused");
  CHECK(lab.call("windows.firewall.rules.list")["rules"].size() == 9);
}

TEST_CASE("bad rules are refused with the key that is wrong", "[windows][firewall]") {
  test::windows_lab lab;
  json bad = own_rule("smharden: a");
  bad["local_ports"] = "99999";
  try {
    lab.call("windows.firewall.rules.set", {{"rule", bad}});
    FAIL("accepted");
  } catch (const service_error& e) {
    CHECK(e.code() == "invalid_params");
    CHECK(std::string(e.what()).find("local_ports \"99999\"") != std::string::npos);
  }
  bad = own_rule("smharden: a");
  bad["color"] = "red";
  CHECK(code_of([&] { lab.call("windows.firewall.rules.set", {{"rule", bad}}); }) == "invalid_params");
}

TEST_CASE("a lab without firewall.json does not model its firewall: listed as unknown, changes refused",
          "[windows][firewall]") {
  test::windows_lab lab;
  std::filesystem::remove(firewall_file(lab));
  const json list = lab.call("windows.firewall.rules.list");
  CHECK(list["modelled"] == false);
  CHECK(list["reason"].get<std::string>().find("unknown, not open") != std::string::npos);
  CHECK(code_of([&] { lab.call("windows.firewall.rules.set", {{"rule", own_rule("smharden: a")}}); }) == "unavailable");
  CHECK_FALSE(std::filesystem::exists(firewall_file(lab)));
}

TEST_CASE("a broken firewall.json is an error naming the file, the rule and the fix", "[windows][firewall]") {
  test::windows_lab lab;
  util::write_file_atomic(firewall_file(lab),
                          R"({"rules": [{"name": "x", "direction": "in", "action": "allow", "protocol": "tcp",
                              "local_ports": "80", "remote_addresses": "10.0.0.300"}]})");
  try {
    lab.call("windows.firewall.rules.list");
    FAIL("accepted");
  } catch (const service_error& e) {
    const std::string what = e.what();
    CHECK(what.find("firewall.json: /rules/0: remote_addresses \"10.0.0.300\"") != std::string::npos);
    CHECK(what.find("smharden lab init") != std::string::npos);
  }
}

TEST_CASE("an offline copy's firewall is read-only", "[windows][firewall]") {
  test::windows_lab lab(services::target_kind::offline);
  CHECK(lab.call("windows.firewall.rules.list")["modelled"] == true);
  CHECK(code_of([&] { lab.call("windows.firewall.rules.set", {{"rule", own_rule("smharden: a")}}); }) == "refused");
}
