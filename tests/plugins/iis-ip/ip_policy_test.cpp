// The iis-ip plugin's pure policy logic: IIS address/mask form, the lockout guard,
// the feature-not-installed finding.
#include <catch2/catch.hpp>

#include "../finding_lookup.hpp"

#include "iis-ip/iis_address.hpp"
#include "iis-ip/ip_policy.hpp"

using smharden::json;
namespace ip = smharden::iis_ip;

using smharden::test::has_finding;

namespace {

const json installed = {{"ip_restriction_installed", true}, {"dynamic_ip_restriction_installed", true}};

json ip_current(bool allow_unlisted = true, json entries = json::array()) {
  return {{"allow_unlisted", allow_unlisted}, {"deny_action", "Forbidden"}, {"entries", std::move(entries)}};
}

json dynamic_current() {
  return json::parse(R"({"deny_action":"Forbidden","enable_proxy_mode":false,"enable_logging_only_mode":false,
    "deny_by_concurrent_requests":{"enabled":false,"max_concurrent_requests":5},
    "deny_by_request_rate":{"enabled":false,"max_requests":20,"request_interval_ms":200}})");
}

const json no_dynamic = {{"manage", false}};

}  // namespace

TEST_CASE("IIS address and mask form of a network", "[iis-ip][cidr]") {
  namespace common = smharden::common;
  const auto net = common::parse_ip_network("10.1.2.3/8");
  REQUIRE(net);
  CHECK(ip::iis_address(*net) == "10.0.0.0");
  CHECK(ip::iis_mask(*net) == "255.0.0.0");
  CHECK(ip::iis_mask(*common::parse_ip_network("192.168.1.7")) == "255.255.255.255");
  CHECK(ip::from_iis("10.0.0.0", "255.0.0.0") == net);
  CHECK(ip::from_iis("10.0.0.0", "8") == net);
  CHECK(ip::from_iis("10.9.9.9", "") == common::parse_ip_network("10.9.9.9"));
  CHECK_FALSE(ip::from_iis("10.0.0.0", "255.0.255.0"));  // not contiguous
  CHECK_FALSE(ip::from_iis("10.0.0.0/8", "255.0.0.0"));  // the address carries no prefix of its own
  CHECK_FALSE(ip::from_iis("10.0.0.0", "ffff::"));       // an IPv6 mask for an IPv4 address
  const auto v6 = common::parse_ip_network("2001:DB8:0:0:1::/64");
  REQUIRE(v6);
  CHECK(ip::iis_address(*v6) == "2001:db8::");
  CHECK(ip::iis_mask(*v6) == "64");
  CHECK(ip::from_iis("2001:db8::", "ffff:ffff:ffff:ffff::") == v6);
  CHECK(ip::from_iis("2001:db8::", "64") == v6);
}

TEST_CASE("iis-ip: default deny with the management range allowed plans the exact entries", "[iis-ip]") {
  const json params = {{"allow_unlisted", false},
                       {"allow", {"127.0.0.1", "203.0.113.0/24"}},
                       {"deny", {"203.0.113.66"}},
                       {"dynamic", no_dynamic}};
  const auto p = ip::make_plan(params, json::array({"203.0.113.0/25"}), installed, ip_current(), dynamic_current());
  // A deny inside a management range is itself a lockout.
  CHECK(p.refusals.size() == 1);
  CHECK(p.refusals[0].find("203.0.113.0/25") != std::string::npos);
  CHECK(p.refusals[0].find("203.0.113.66") != std::string::npos);

  const json safe = {{"allow_unlisted", false}, {"allow", {"127.0.0.1", "203.0.113.0/24"}}, {"dynamic", no_dynamic}};
  const auto q = ip::make_plan(safe, json::array({"203.0.113.0/25"}), installed, ip_current(), dynamic_current());
  CHECK(q.refusals.empty());
  REQUIRE(q.ip_security_set);
  CHECK((*q.ip_security_set)["allow_unlisted"] == false);
  CHECK((*q.ip_security_set)["entries"] == json::parse(R"([
    {"ip_address":"127.0.0.1","subnet_mask":"255.255.255.255","allowed":true},
    {"ip_address":"203.0.113.0","subnet_mask":"255.255.255.0","allowed":true}])"));
  // The default-deny finding carries the EAS/MAPI warning.
  const auto f =
      std::find_if(q.findings.begin(), q.findings.end(), [](const auto& x) { return x.id == "default-action"; });
  REQUIRE(f != q.findings.end());
  CHECK(f->remediation.find("ActiveSync") != std::string::npos);
  CHECK(f->remediation.find("MAPI") != std::string::npos);
  CHECK(has_finding(q.findings, "entry-missing:allow:203.0.113.0/24"));
  // The same rules, in order, go to the host's guard.management_access.check.
  CHECK(q.guard_request["default"] == "deny");
  CHECK(q.guard_request["rules"] == json::parse(R"([{"range":"127.0.0.1","action":"allow"},
                                                   {"range":"203.0.113.0/24","action":"allow"}])"));
  CHECK(p.guard_request["rules"][0] == json::parse(R"({"range":"203.0.113.66","action":"deny"})"));
}

TEST_CASE("iis-ip: lockout guard names the management range that is missing", "[iis-ip][lockout]") {
  const json params = {{"allow_unlisted", false}, {"allow", {"127.0.0.1", "10.0.0.0/8"}}, {"dynamic", no_dynamic}};
  const auto p = ip::make_plan(params, json::array({"10.1.0.0/16", "198.51.100.0/24"}), installed, ip_current(),
                               dynamic_current());
  REQUIRE(p.refusals.size() == 1);
  CHECK(p.refusals[0].find("198.51.100.0/24") != std::string::npos);
  CHECK(p.refusals[0].find("10.1.0.0/16") == std::string::npos);
  CHECK(has_finding(p.findings, "lockout-guard"));

  const auto none = ip::make_plan(params, json::array(), installed, ip_current(), dynamic_current());
  REQUIRE(none.refusals.size() == 1);
  CHECK(none.refusals[0].find("management_cidrs") != std::string::npos);
}

TEST_CASE("iis-ip: allow entries that together hold a management range keep it in", "[iis-ip][lockout]") {
  const json params = {
      {"allow_unlisted", false}, {"allow", {"192.0.2.0/25", "192.0.2.128/25"}}, {"dynamic", no_dynamic}};
  const auto p = ip::make_plan(params, json::array({"192.0.2.0/24"}), installed, ip_current(), dynamic_current());
  CHECK(p.refusals.empty());
  CHECK_FALSE(has_finding(p.findings, "lockout-guard"));

  json with_deny = params;
  with_deny["deny"] = {"192.0.2.200"};
  const auto q = ip::make_plan(with_deny, json::array({"192.0.2.0/24"}), installed, ip_current(), dynamic_current());
  REQUIRE(q.refusals.size() == 1);
  CHECK(q.refusals[0].find("192.0.2.200") != std::string::npos);
}

TEST_CASE("iis-ip: compliant state plans nothing, order-only drift is reported as such", "[iis-ip]") {
  const json params = {{"allow_unlisted", false}, {"allow", {"127.0.0.1", "10.0.0.0/8"}}, {"dynamic", no_dynamic}};
  const json entries = json::parse(R"([
    {"ip_address":"127.0.0.1","subnet_mask":"255.255.255.255","domain_name":"","allowed":true},
    {"ip_address":"10.0.0.0","subnet_mask":"255.0.0.0","domain_name":"","allowed":true}])");
  const json mgmt = json::array({"10.0.0.0/8"});
  const auto p = ip::make_plan(params, mgmt, installed, ip_current(false, entries), dynamic_current());
  CHECK(p.findings.empty());
  CHECK_FALSE(p.ip_security_set);
  const json reversed = json::array({entries[1], entries[0]});
  const auto q = ip::make_plan(params, mgmt, installed, ip_current(false, reversed), dynamic_current());
  REQUIRE(q.findings.size() == 1);
  CHECK(q.findings[0].id == "entry-order");
}

TEST_CASE("iis-ip: feature not installed is a finding with the remediation, not a crash", "[iis-ip]") {
  const json missing = {{"ip_restriction_installed", false}, {"dynamic_ip_restriction_installed", false}};
  const auto p = ip::make_plan(json::object(), json::array(), missing, ip_current(), dynamic_current());
  CHECK(p.feature_missing);
  REQUIRE(p.findings.size() == 1);
  CHECK(p.findings[0].id == "feature-not-installed");
  CHECK_FALSE(p.findings[0].automated);
  CHECK(p.findings[0].remediation.find("IP and Domain Restrictions") != std::string::npos);
  CHECK_FALSE(p.ip_security_set);
}

TEST_CASE("iis-ip: dynamic restrictions differ attribute by attribute", "[iis-ip][dynamic]") {
  const json params = {{"dynamic",
                        {{"manage", true},
                         {"logging_only", true},
                         {"deny_by_concurrent_requests", {{"enabled", true}, {"max_concurrent_requests", 10}}},
                         {"deny_by_request_rate", {{"enabled", false}}}}}};
  const auto p = ip::make_plan(params, json::array(), installed, ip_current(), dynamic_current());
  CHECK(has_finding(p.findings, "dynamic-logging-only"));
  CHECK(has_finding(p.findings, "dynamic-concurrent-enabled"));
  CHECK(has_finding(p.findings, "dynamic-concurrent-limit"));
  CHECK_FALSE(has_finding(p.findings, "dynamic-rate-enabled"));
  REQUIRE(p.dynamic_set);
  CHECK(*p.dynamic_set == json::parse(R"({"enable_logging_only_mode":true,
    "deny_by_concurrent_requests":{"enabled":true,"max_concurrent_requests":10}})"));
}

TEST_CASE("iis-ip: bad addresses name the param", "[iis-ip]") {
  const json params = {{"allow", {"127.0.0.1", "10.0.0.300"}}};
  try {
    ip::make_plan(params, json::array(), installed, ip_current(), dynamic_current());
    FAIL("expected invalid_argument");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("params.allow[1]") != std::string::npos);
  }
}
