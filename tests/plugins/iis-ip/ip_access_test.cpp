// iis-ip: what the site's IP restrictions let through (the access guard's
// input), and the NAT/EAS warning on dynamic IP limits.
#include <catch2/catch.hpp>

#include "iis-ip/ip_policy.hpp"

using smharden::json;
namespace ip = smharden::iis_ip;

namespace {
const json installed = {{"ip_restriction_installed", true}, {"dynamic_ip_restriction_installed", true}};
const json ip_open = {{"allow_unlisted", true}, {"deny_action", "Forbidden"}, {"entries", json::array()}};
const json dynamic_off = json::parse(R"({"deny_action":"Forbidden","enable_logging_only_mode":false,
    "deny_by_concurrent_requests":{"enabled":false,"max_concurrent_requests":5},
    "deny_by_request_rate":{"enabled":false,"max_requests":20,"request_interval_ms":200}})");
}  // namespace

TEST_CASE("iis-ip: the access request carries the restrictions before and after", "[iis-ip][access]") {
  const json params = {{"allow_unlisted", false}, {"allow", {"203.0.113.0/24"}}, {"dynamic", {{"manage", false}}}};
  const auto p = ip::make_plan(params, json::array({"203.0.113.0/24"}), installed, ip_open, dynamic_off);
  const json& s = p.access_request["surfaces"];
  CHECK(p.access_request["step"] == "iis-ip");
  for (const char* name : {"webmail", "activesync_mapi", "port_9998", "admin_login"}) {
    CHECK(s[name]["before"] == json({{"rules", json::array()}, {"default", "allow"}}));
    CHECK(s[name]["after"] ==
          json({{"rules", {{{"range", "203.0.113.0/24"}, {"action", "allow"}}}}, {"default", "deny"}}));
  }
  const json domain = {{"allow_unlisted", true}, {"entries", {{{"domain_name", "example.test"}, {"allowed", false}}}}};
  const auto q = ip::make_plan(params, json::array({"203.0.113.0/24"}), installed, domain, dynamic_off);
  CHECK(q.access_request["surfaces"]["webmail"]["before"].contains("unknown"));
}

TEST_CASE("iis-ip: enforcing dynamic IP limits carries the NAT office and EAS phone warning", "[iis-ip][access]") {
  const json enforce = {{"dynamic", {{"manage", true}}}};
  const auto p = ip::make_plan(enforce, json::array(), installed, ip_open, dynamic_off);
  bool any = false;
  for (const auto& f : p.findings) {
    if (!f.id.starts_with("dynamic-")) continue;
    any = true;
    CHECK_THAT(f.remediation, Catch::Contains(ip::dynamic_limits_warning));
  }
  CHECK(any);
  const json logging = {{"dynamic", {{"manage", true}, {"logging_only", true}}}};
  for (const auto& f : ip::make_plan(logging, json::array(), installed, ip_open, dynamic_off).findings) {
    CHECK_THAT(f.remediation, !Catch::Contains(ip::dynamic_limits_warning));
  }
}
