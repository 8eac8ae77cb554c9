// iis-ip: what the site's IP restrictions let through (the access guard's
// input), and the NAT/EAS warning on dynamic IP limits.
#include <catch2/catch.hpp>

#include "iis-ip/ip_policy.hpp"

using smharden::json;
namespace ip = smharden::iis_ip;

namespace {
const json modules_installed = {{"ip_restriction_installed", true}, {"dynamic_ip_restriction_installed", true}};
const json ip_open = {{"allow_unlisted", true}, {"deny_action", "Forbidden"}, {"entries", json::array()}};
const json dynamic_off = json::parse(R"({"deny_action":"Forbidden","enable_logging_only_mode":false,
    "deny_by_concurrent_requests":{"enabled":false,"max_concurrent_requests":5},
    "deny_by_request_rate":{"enabled":false,"max_requests":20,"request_interval_ms":200}})");
}  // namespace

TEST_CASE("iis-ip: the access request carries the restrictions before and after", "[iis-ip][access]") {
  const json params = {{"allow_unlisted", false}, {"allow", {"203.0.113.0/24"}}, {"dynamic", {{"manage", false}}}};
  const auto p = ip::make_plan(params, json::array({"203.0.113.0/24"}), modules_installed, ip_open, dynamic_off);
  const json& s = p.access_request["surfaces"];
  CHECK(p.access_request["step"] == "iis-ip");
  for (const char* name : {"webmail", "activesync_mapi", "port_9998", "admin_login"}) {
    CHECK(s[name]["before"] == json({{"rules", json::array()}, {"default", "allow"}}));
    CHECK(s[name]["after"] ==
          json({{"rules", {{{"range", "203.0.113.0/24"}, {"action", "allow"}}}}, {"default", "deny"}}));
  }
  const json domain = {{"allow_unlisted", true}, {"entries", {{{"domain_name", "example.test"}, {"allowed", false}}}}};
  const auto q = ip::make_plan(params, json::array({"203.0.113.0/24"}), modules_installed, domain, dynamic_off);
  CHECK(q.access_request["surfaces"]["webmail"]["before"].contains("unknown"));
}

TEST_CASE("iis-ip: enforced dynamic IP limits without sizing are manual, with the NAT office and EAS phone warning",
          "[iis-ip][access]") {
  const json enforce = {{"dynamic", {{"manage", true}}}};
  const auto p = ip::make_plan(enforce, json::array(), modules_installed, ip_open, dynamic_off);
  int dynamic = 0;
  for (const auto& f : p.findings) {
    if (!f.id.starts_with("dynamic-")) continue;
    ++dynamic;
    CHECK_FALSE(f.automated);
    CHECK_THAT(f.remediation, Catch::StartsWith("Not automated: the profile does not say how many clients share one "
                                                "address (dynamic.sized_for.clients_per_address)"));
    CHECK_THAT(f.remediation, Catch::Contains(ip::dynamic_limits_warning));
  }
  CHECK(dynamic == 5);         // both limits turned on, the concurrent limit and the rate and its interval changed
  CHECK_FALSE(p.dynamic_set);  // apply leaves dynamicIpSecurity alone
  for (const auto& c : p.changes) CHECK(c.id != "dynamic-ip-security");

  // Logging-only mode blocks nobody, and limits turned off block nobody: both are automated, without the warning.
  for (const json& harmless :
       {json{{"manage", true}, {"logging_only", true}}, json{{"manage", true},
                                                             {"deny_action", "NotFound"},
                                                             {"deny_by_concurrent_requests", {{"enabled", false}}},
                                                             {"deny_by_request_rate", {{"enabled", false}}}}}) {
    const auto q = ip::make_plan({{"dynamic", harmless}}, json::array(), modules_installed, ip_open, dynamic_off);
    REQUIRE_FALSE(q.findings.empty());
    for (const auto& f : q.findings) {
      CHECK(f.automated);
      CHECK_THAT(f.remediation, !Catch::Contains(ip::dynamic_limits_warning));
    }
    CHECK(q.dynamic_set);
  }
}

TEST_CASE("iis-ip: enforced dynamic IP limits are applied when they let the declared clients per address through",
          "[iis-ip][access]") {
  // 5 clients behind one address: 5 x 2 = 10 concurrent requests, 5 x 20 = 100 requests per second = 30 per 300 ms.
  const json sized = {
      {"dynamic",
       {{"manage", true},
        {"deny_by_concurrent_requests", {{"enabled", true}, {"max_concurrent_requests", 10}}},
        {"deny_by_request_rate", {{"enabled", true}, {"max_requests", 30}, {"request_interval_ms", 300}}},
        {"sized_for", {{"clients_per_address", 5}}}}}};
  const auto p = ip::make_plan(sized, json::array(), modules_installed, ip_open, dynamic_off);
  REQUIRE(p.dynamic_set);
  CHECK((*p.dynamic_set)["deny_by_concurrent_requests"]["max_concurrent_requests"] == 10);
  for (const auto& f : p.findings) CHECK(f.automated);

  // One more client and both limits fall short: manual, and the text gives the numbers.
  json office = sized;
  office["dynamic"]["sized_for"]["clients_per_address"] = 6;
  const auto q = ip::make_plan(office, json::array(), modules_installed, ip_open, dynamic_off);
  CHECK_FALSE(q.dynamic_set);
  REQUIRE_FALSE(q.findings.empty());
  for (const auto& f : q.findings) {
    CHECK_FALSE(f.automated);
    CHECK_THAT(f.remediation,
               Catch::Contains("max_concurrent_requests 10 is below the 12 that 6 clients behind one address hold "
                               "(2 each); max_requests 30 per 300 ms is below the 36 that 6 clients behind one "
                               "address send (20 requests per second each)"));
  }

  // The per-client figures are the profile's to set: phones that hold one request each fit 10 per address.
  json phones = office;
  phones["dynamic"]["deny_by_request_rate"] = {{"enabled", false}};
  phones["dynamic"]["sized_for"]["concurrent_requests_per_client"] = 1;
  phones["dynamic"]["sized_for"]["clients_per_address"] = 10;
  CHECK(ip::make_plan(phones, json::array(), modules_installed, ip_open, dynamic_off).dynamic_set);
  phones["dynamic"]["sized_for"]["clients_per_address"] = 11;
  CHECK_FALSE(ip::make_plan(phones, json::array(), modules_installed, ip_open, dynamic_off).dynamic_set);
}
