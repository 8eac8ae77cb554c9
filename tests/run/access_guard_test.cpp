// The lockout guard: which management ranges an allow-list would exclude.
#include <catch2/catch.hpp>

#include <smharden/common/access_proof.hpp>

#include "run/access_guard.hpp"
#include "services/service_registry.hpp"

using smharden::common::parse_written_range;
using smharden::core::check_management_access;
using json = nlohmann::json;

namespace {

std::vector<std::string> excluded_ranges(const json& result) {
  std::vector<std::string> out;
  for (const auto& e : result["excluded"]) out.push_back(e["range"].get<std::string>());
  return out;
}

}  // namespace

// Every form and its meaning is tested with the common library (tests/common/ip_range_test.cpp);
// the guard keeps the text as written for its messages.
TEST_CASE("the guard reads ranges with the common parser and keeps their text") {
  const auto mask = parse_written_range("10.1.0.0/255.255.0.0");
  REQUIRE(mask);
  CHECK(mask->text == "10.1.0.0/255.255.0.0");
  CHECK(mask->range == *smharden::common::parse_ip_range("10.1.0.0/16"));
  CHECK(parse_written_range("10.0.0.1-10.0.0.50"));
  CHECK_FALSE(parse_written_range("10.0.0.0/255.0.255.0"));
  CHECK_FALSE(parse_written_range("mail.example.com"));
}

TEST_CASE("an allow-list that covers every management range is accepted") {
  const json r = check_management_access({{"allow", {"192.0.2.0/24", "2001:db8::/48"}}, {"default", "deny"}},
                                         {"192.0.2.10", "192.0.2.128/25", "2001:db8:0:1::/64"}, false);
  CHECK(r["ok"] == true);
  CHECK(r["excluded"].empty());
  CHECK(r["overridden"] == false);
}

TEST_CASE("a management range only partly covered, or not at all, is excluded") {
  // 192.0.2.0/24 = two /25 entries; 198.51.100.0/24 has only its first half allowed.
  const json r = check_management_access({{"allow", {"192.0.2.0/25", "192.0.2.128-192.0.2.255", "198.51.100.0/25"}}},
                                         {"192.0.2.0/24", "198.51.100.0/24", "203.0.113.5"}, false);
  CHECK(r["ok"] == false);
  CHECK(excluded_ranges(r) == std::vector<std::string>{"198.51.100.0/24", "203.0.113.5"});
  CHECK_THAT(r["message"].get<std::string>(), Catch::Contains("--allow-lockout-risk"));
}

TEST_CASE("a deny entry that touches a management range excludes it, whatever the allow entries say") {
  const json r = check_management_access({{"allow", {"10.0.0.0/8"}}, {"deny", {"10.20.30.40"}}, {"default", "allow"}},
                                         {"10.20.30.0/24", "10.99.0.0/16"}, false);
  CHECK(excluded_ranges(r) == std::vector<std::string>{"10.20.30.0/24"});
  CHECK_THAT(r["excluded"][0]["reason"].get<std::string>(), Catch::Contains("10.20.30.40"));
}

TEST_CASE("ordered rules: the first match decides (IIS ipSecurity order)") {
  const json allow_first = {
      {"rules", {{{"range", "10.0.0.0/24"}, {"action", "allow"}}, {{"range", "10.0.0.0/8"}, {"action", "deny"}}}},
      {"default", "deny"}};
  CHECK(check_management_access(allow_first, {"10.0.0.7"}, false)["ok"] == true);
  CHECK(check_management_access(allow_first, {"10.0.1.7"}, false)["ok"] == false);
  const json deny_first = {
      {"rules", {{{"range", "10.0.0.0/8"}, {"action", "deny"}}, {{"range", "10.0.0.0/24"}, {"action", "allow"}}}},
      {"default", "allow"}};
  CHECK(check_management_access(deny_first, {"10.0.0.7"}, false)["ok"] == false);
  CHECK(check_management_access(deny_first, {"192.0.2.1"}, false)["ok"] == true);
}

TEST_CASE("default allow keeps unlisted addresses in, IPv4 rules do not cover IPv6 ranges") {
  CHECK(check_management_access({{"deny", {"203.0.113.0/24"}}, {"default", "allow"}}, {"192.0.2.1"}, false)["ok"] ==
        true);
  CHECK(check_management_access({{"allow", {"0.0.0.0/0"}}}, {"2001:db8::1"}, false)["ok"] == false);
  CHECK(check_management_access({{"allow", {"0.0.0.0/0", "::/0"}}}, {"2001:db8::1", "192.0.2.1"}, false)["ok"] == true);
}

TEST_CASE("apply --allow-lockout-risk lets the apply go on, says so, and lists what is excluded") {
  const json r = check_management_access({{"allow", {"192.0.2.10"}}, {"what", "the webmail allow-list"}},
                                         {"198.51.100.0/24"}, true);
  CHECK(r["ok"] == true);
  CHECK(r["overridden"] == true);
  CHECK(excluded_ranges(r) == std::vector<std::string>{"198.51.100.0/24"});
  CHECK_THAT(r["message"].get<std::string>(), Catch::Contains("the webmail allow-list"));
}

TEST_CASE("params: management_cidrs override the profile's, no ranges at all is a warning, bad input an error") {
  CHECK(check_management_access({{"allow", {"192.0.2.10"}}, {"management_cidrs", {"192.0.2.10"}}}, {"203.0.113.1"},
                                false)["ok"] == true);
  const json none = check_management_access({{"allow", {"192.0.2.10"}}}, {}, false);
  CHECK(none["ok"] == true);
  CHECK(none.contains("warning"));
  using smharden::services::service_error;
  CHECK_THROWS_AS(check_management_access({{"allow", {"not-an-ip"}}}, {"192.0.2.1"}, false), service_error);
  CHECK_THROWS_AS(check_management_access({{"allow", {"192.0.2.1"}}, {"default", "maybe"}}, {"192.0.2.1"}, false),
                  service_error);
  CHECK_THROWS_AS(check_management_access({{"allow", {"192.0.2.1"}}, {"rules", json::array()}}, {"192.0.2.1"}, false),
                  service_error);
  CHECK_THROWS_AS(check_management_access({{"allow", {"192.0.2.1"}}}, {"999.0.0.1"}, false), service_error);
}

TEST_CASE("the guard method reads the run's settings and records an override in the report") {
  std::vector<std::string> overrides;
  const auto record = [&](const std::string& what) { overrides.push_back(what); };
  smharden::services::registry r;
  smharden::core::register_access_guard(r, {{"198.51.100.0/24"}, true, record});
  const auto* m = r.find("guard.management_access.check");
  REQUIRE(m != nullptr);
  CHECK(m->kind == smharden::services::access::read_only);
  const json ok = m->invoke({{"allow", {"198.51.100.0/24"}}});
  CHECK(ok["overridden"] == false);
  CHECK(overrides.empty());
  const json over = m->invoke({{"allow", {"192.0.2.1"}}});
  CHECK(over["ok"] == true);
  CHECK(over["overridden"] == true);
  REQUIRE(overrides.size() == 1);
  CHECK_THAT(overrides[0], Catch::Contains("198.51.100.0/24"));

  smharden::services::registry strict;
  smharden::core::register_access_guard(strict, {{"198.51.100.0/24"}, false, record});
  CHECK(strict.find("guard.management_access.check")->invoke({{"allow", {"192.0.2.1"}}})["ok"] == false);
  CHECK(overrides.size() == 1);
}

TEST_CASE("guard.access.audiences returns the run's audiences with every key present") {
  smharden::services::registry r;
  smharden::core::access_guard_settings settings{{"192.0.2.0/24"}, false, {}};
  settings.audiences = {{"management", {"192.0.2.0/24", "203.0.113.0/24"}},
                        {"relay_apps", {{{"address", "198.51.100.10"}, {"name", "CRM"}}}}};
  smharden::core::register_access_guard(r, settings);
  const auto* m = r.find("guard.access.audiences");
  REQUIRE(m != nullptr);
  CHECK(m->kind == smharden::services::access::read_only);
  const json a = m->invoke(json::object());
  CHECK(a["management"] == json({"192.0.2.0/24", "203.0.113.0/24"}));
  CHECK(a["webmail_users"] == json::array());
  CHECK(a["mail_clients"] == json::array());
  CHECK(a["relay_apps"][0]["name"] == "CRM");
  CHECK(m->invoke(nullptr) == a);
  CHECK_THROWS_AS(m->invoke({{"audience", "management"}}), smharden::services::service_error);
  // The lockout guard beside it is unchanged.
  CHECK(r.find("guard.management_access.check")->invoke({{"allow", {"10.0.0.0/8"}}})["ok"] == false);
}
