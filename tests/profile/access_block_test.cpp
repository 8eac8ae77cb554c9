// The profile's "access" block: audiences load, merge along extends key by
// key, and a wrong value is an error naming the file and JSON pointer.
#include <catch2/catch.hpp>

#include "profile/access_block.hpp"
#include "profile/profile.hpp"
#include "temp_profiles.hpp"

using namespace smharden::core;
using smharden::test::temp_profiles;
using strings = std::vector<std::string>;

TEST_CASE("access: every audience loads as written", "[profile][access]") {
  temp_profiles t;
  t.write("p.json", R"({"management_cidrs": ["192.0.2.0/24"], "access": {
      "management": ["203.0.113.0/24", "192.0.2.0/24"], "webmail_users": ["0.0.0.0/0", "::/0"],
      "mail_clients": ["198.51.100.0/24"],
      "relay_apps": [{"address": "198.51.100.10", "name": "CRM"}, {"address": "198.51.100.11"}]}})");
  const profile p = load_profile(t.path("p.json"));
  CHECK(p.access.management == strings{"203.0.113.0/24", "192.0.2.0/24"});
  CHECK(p.access.webmail_users == strings{"0.0.0.0/0", "::/0"});
  CHECK(p.access.mail_clients == strings{"198.51.100.0/24"});
  REQUIRE(p.access.relay_apps.size() == 2);
  CHECK(p.access.relay_apps[0].name == "CRM");
  CHECK(p.access.relay_apps[1].name == "198.51.100.11");  // the address names an unnamed app
  // management_cidrs first, then access.management without repeats.
  CHECK(p.management_audience() == strings{"192.0.2.0/24", "203.0.113.0/24"});

  const nlohmann::json a = audiences_json(p.access, p.management_audience());
  CHECK(a["management"] == nlohmann::json({"192.0.2.0/24", "203.0.113.0/24"}));
  CHECK(a["relay_apps"][0] == nlohmann::json({{"address", "198.51.100.10"}, {"name", "CRM"}}));
}

TEST_CASE("access: a profile without it has empty audiences and management_cidrs as management", "[profile][access]") {
  temp_profiles t;
  t.write("p.json", R"({"management_cidrs": ["192.0.2.0/24"]})");
  const profile p = load_profile(t.path("p.json"));
  CHECK(p.access.webmail_users.empty());
  CHECK(p.access.relay_apps.empty());
  CHECK(p.management_audience() == strings{"192.0.2.0/24"});
  const nlohmann::json a = audiences_json(p.access, p.management_audience());
  for (const char* key : {"webmail_users", "mail_clients", "relay_apps"}) CHECK(a[key] == nlohmann::json::array());
}

TEST_CASE("access: along extends the leaf replaces each key it gives, keeps the others", "[profile][access]") {
  temp_profiles t;
  t.write("base.json", R"({"access": {"webmail_users": ["0.0.0.0/0"], "mail_clients": ["10.0.0.0/8"],
      "relay_apps": [{"address": "198.51.100.10", "name": "CRM"}]}})");
  t.write("leaf.json", R"({"extends": "base.json", "access": {"webmail_users": ["203.0.113.0/24"],
      "relay_apps": []}})");
  const profile p = load_profile(t.path("leaf.json"));
  CHECK(p.access.webmail_users == strings{"203.0.113.0/24"});
  CHECK(p.access.mail_clients == strings{"10.0.0.0/8"});
  CHECK(p.access.relay_apps.empty());
}

TEST_CASE("access: errors name the file and the JSON pointer", "[profile][access][errors]") {
  temp_profiles t;
  auto error_of = [&](const std::string& access) {
    t.write("a.json", R"({"access": )" + access + "}");
    return t.load_error("a.json");
  };
  const std::string file = t.path("a.json");
  CHECK(error_of(R"(["0.0.0.0/0"])").rfind(file + ": /access: expected an object of audiences", 0) == 0);
  CHECK(error_of(R"({"webmail_user": []})") ==
        file +
            ": /access/webmail_user: expected one of the access keys (management, webmail_users, mail_clients, "
            "relay_apps), found \"webmail_user\". Fix: rename it to \"webmail_users\", or remove it");
  CHECK(error_of(R"({"webmail_users": ["0.0.0.0/0", "mail.example.test"]})")
            .rfind(file + ": /access/webmail_users/1: expected an IPv4 or IPv6 address or CIDR block (e.g. "
                          "\"203.0.113.0/24\", \"0.0.0.0/0\", \"::/0\"), found a string \"mail.example.test\"",
                   0) == 0);
  CHECK(error_of(R"({"mail_clients": "10.0.0.0/8"})")
            .rfind(file + ": /access/mail_clients: expected an array of addresses or CIDR blocks", 0) == 0);
  CHECK(error_of(R"({"management": ["10.0.0.0/33"]})").rfind(file + ": /access/management/0: expected", 0) == 0);
  CHECK(error_of(R"({"relay_apps": [{"name": "CRM"}]})") ==
        file +
            ": /access/relay_apps/0/address: expected the address the application sends from, found nothing. "
            "Fix: add \"address\": \"198.51.100.10\"");
  CHECK(error_of(R"({"relay_apps": [{"address": "198.51.100.10", "nmae": "x"}]})")
            .rfind(file + ": /access/relay_apps/0/nmae: expected one of the relay application keys", 0) == 0);
  CHECK(error_of(R"({"relay_apps": [{"address": "198.51.100.10", "name": ""}]})")
            .rfind(file + ": /access/relay_apps/0/name: expected a non-empty name", 0) == 0);
  CHECK(
      error_of(R"({"relay_apps": ["198.51.100.10"]})").rfind(file + ": /access/relay_apps/0: expected an object", 0) ==
      0);
  CHECK(error_of(R"({})").empty());
}

TEST_CASE("access: an error in a base names the base file", "[profile][access][errors]") {
  temp_profiles t;
  t.write("base.json", R"({"access": {"mail_clients": [7]}})");
  t.write("leaf.json", R"({"extends": "base.json"})");
  CHECK(t.load_error("leaf.json").rfind(t.path("base.json") + ": /access/mail_clients/0: expected", 0) == 0);
}
