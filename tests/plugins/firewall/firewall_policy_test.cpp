// The firewall step's plan: exposure of the admin ports on a fresh server,
// the two rules of group "smharden", the proof that management keeps every
// port, and its refusals (not modelled, no management, another group's block).
#include <catch2/catch.hpp>

#include <firewall/firewall_policy.hpp>

using smharden::json;
namespace step = smharden::firewall_step;

namespace {

json rule(const std::string& name, const std::string& group, const std::string& action, const std::string& ports,
          const std::string& remote) {
  return {{"name", name},     {"group", group},    {"enabled", true},      {"direction", "in"},
          {"action", action}, {"protocol", "tcp"}, {"local_ports", ports}, {"remote_addresses", remote}};
}

json fresh_listing() {
  return {{"modelled", true},
          {"rules",
           {rule("World Wide Web Services (HTTP Traffic-In)", "World Wide Web Services (HTTP)", "allow", "80", "*"),
            rule("SmarterMail Web Interface (TCP-In)", "SmarterMail", "allow", "9998", "*")}}};
}

json with_rules(json listing, const std::vector<smharden::common::firewall_rule>& rules) {
  for (const auto& r : rules) {
    listing["rules"].push_back(rule(r.name, r.group, r.action, r.local_ports, r.remote_addresses));
  }
  return listing;
}

const smharden::finding* find(const step::plan& p, const std::string& id) {
  for (const auto& f : p.findings) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a fresh server exposes 9998 to everyone, the plan allows management and blocks the rest",
          "[plugins][firewall]") {
  const auto p = step::make_plan(json::object(), {fresh_listing(), {"203.0.113.0/24"}});
  const auto* f = find(p, "port-9998-open");
  REQUIRE(f != nullptr);
  CHECK(f->current.get<std::string>().find("0.0.0.0-126.255.255.255,128.0.0.0-203.0.112.255,") == 0);
  CHECK(f->desired == "127.0.0.0/8,203.0.113.0/24,::1");
  CHECK(p.refusals.empty());
  REQUIRE(p.put.size() == 2);
  CHECK(p.put[0].action == "allow");  // allow first: management never loses the port between two calls
  CHECK(p.put[0].remote_addresses == "127.0.0.0/8,203.0.113.0/24,::1");
  CHECK(p.put[1].action == "block");
  CHECK(p.put[1].remote_addresses ==
        "0.0.0.0-126.255.255.255,128.0.0.0-203.0.112.255,203.0.114.0-255.255.255.255,::,::2-ffff:ffff:ffff:ffff:"
        "ffff:ffff:ffff:ffff");
  CHECK(p.put[0].group == "smharden");
  CHECK(p.put[0].local_ports == "9998");
  REQUIRE(p.guard_requests.size() == 1);
  CHECK(p.guard_requests[0]["default"] == "deny");
  CHECK(p.guard_requests[0]["allow"] == json({"127.0.0.0/8", "203.0.113.0/24", "::1"}));
  CHECK(p.guard_requests[0]["management_cidrs"] == json({"203.0.113.0/24"}));
  CHECK(find(p, "port-80-open") == nullptr);  // webmail's public port is not this step's
}

TEST_CASE("the access guard hears who reaches 9998 before and after the rules", "[plugins][firewall]") {
  const auto p = step::make_plan(json::object(), {fresh_listing(), {"203.0.113.0/24"}});
  REQUIRE(p.access_request.is_object());
  CHECK(p.access_request["step"] == "firewall");
  const json& surface = p.access_request["surfaces"]["port_9998"];
  CHECK(surface["before"]["default"] == "deny");
  CHECK(surface["before"]["allow"] == json({"0.0.0.0/0", "::/0"}));
  CHECK(surface["after"] == json({{"allow", {"127.0.0.0/8", "203.0.113.0/24", "::1"}}, {"default", "deny"}}));

  json local_subnet = fresh_listing();
  local_subnet["rules"].push_back(rule("Admin LAN", "Admin", "allow", "9998", "LocalSubnet"));
  const auto q = step::make_plan(json::object(), {local_subnet, {"203.0.113.0/24"}});
  CHECK(q.access_request["surfaces"]["port_9998"]["before"].contains("unknown"));
  CHECK(q.access_request["surfaces"]["port_9998"]["after"].contains("unknown"));  // the rule stays

  const auto no_9998 =
      step::make_plan({{"ports", json::array()}, {"admin_ports", {8443}}}, {fresh_listing(), {"203.0.113.0/24"}});
  CHECK(no_9998.access_request.is_null());
}

TEST_CASE("with the two rules in place the step is compliant and plans nothing", "[plugins][firewall]") {
  const std::vector<std::string> mgmt = {"203.0.113.0/24"};
  const json listing = with_rules(fresh_listing(), step::desired_rules({9998}, mgmt));
  const auto p = step::make_plan(json::object(), {listing, mgmt});
  CHECK(p.findings.empty());
  CHECK(p.put.empty());
  CHECK(p.remove.empty());
}

TEST_CASE("admin_ports join the rules, a changed management range replaces them, stale own rules go",
          "[plugins][firewall]") {
  json listing = with_rules(fresh_listing(), step::desired_rules({9998}, {"203.0.113.0/24"}));
  listing["rules"].push_back(rule("smharden: old", "smharden", "allow", "8443", "*"));
  const auto p = step::make_plan({{"admin_ports", {8443}}}, {listing, {"198.51.100.0/24"}});
  REQUIRE(p.put.size() == 2);
  CHECK(p.put[0].local_ports == "8443,9998");
  CHECK(p.put[0].remote_addresses == "127.0.0.0/8,198.51.100.0/24,::1");
  CHECK(p.remove == std::vector<std::string>{"smharden: old"});
  CHECK(p.guard_requests.size() == 2);
}

TEST_CASE("a target that does not model its firewall is a finding and a refusal, never compliant",
          "[plugins][firewall]") {
  const auto p = step::make_plan(
      json::object(),
      {{{"modelled", false}, {"reason", "no firewall.json"}, {"rules", json::array()}}, {"203.0.113.0/24"}});
  const auto* f = find(p, "firewall-not-modelled");
  REQUIRE(f != nullptr);
  CHECK_FALSE(f->automated);
  CHECK(f->remediation == "no firewall.json");
  CHECK(p.refusals.size() == 1);
  CHECK(p.put.empty());
}

TEST_CASE("no management range: refused unless loopback_only", "[plugins][firewall]") {
  const auto refused = step::make_plan(json::object(), {fresh_listing(), {}});
  REQUIRE(refused.refusals.size() == 1);
  CHECK(refused.refusals[0].find("no management range is declared") != std::string::npos);
  REQUIRE(find(refused, "port-9998-open") != nullptr);
  CHECK(find(refused, "port-9998-open")->remediation.find("apply refuses: no management range") != std::string::npos);
  const auto loopback = step::make_plan({{"loopback_only", true}}, {fresh_listing(), {}});
  CHECK(loopback.refusals.empty());
  REQUIRE(loopback.put.size() == 2);
  CHECK(loopback.put[0].remote_addresses == "127.0.0.0/8,::1");
}

TEST_CASE("another group's block rule over management makes apply refuse", "[plugins][firewall]") {
  json listing = fresh_listing();
  listing["rules"].push_back(rule("Block partner", "Ops", "block", "9990-9999", "203.0.113.7"));
  const auto p = step::make_plan(json::object(), {listing, {"203.0.113.0/24"}});
  REQUIRE(p.refusals.size() == 1);
  CHECK(p.refusals[0].find("203.0.113.0/24 could not reach TCP port 9998") != std::string::npos);
}

TEST_CASE("LocalSubnet makes who reaches the port unknown: a finding even when nothing is proven open",
          "[plugins][firewall]") {
  json listing = {{"modelled", true}, {"rules", {rule("Subnet", "Ops", "allow", "9998", "LocalSubnet")}}};
  const auto p = step::make_plan(json::object(), {listing, {"203.0.113.0/24"}});
  const auto* f = find(p, "port-9998-open");
  REQUIRE(f != nullptr);
  CHECK(f->current.is_null());
  CHECK(f->remediation.find("LocalSubnet") != std::string::npos);
}

TEST_CASE("the management audience: audiences answer first, else the context's management_cidrs, plus the param",
          "[plugins][firewall]") {
  const json params = {{"management", {"192.0.2.9", "203.0.113.0/24"}}};
  CHECK(step::management_audience({{"management", {"203.0.113.0/24"}}}, json::array({"10.0.0.0/8"}), params) ==
        std::vector<std::string>{"203.0.113.0/24", "192.0.2.9"});
  CHECK(step::management_audience(nullptr, json::array({"10.0.0.0/8"}), params) ==
        std::vector<std::string>{"10.0.0.0/8", "192.0.2.9", "203.0.113.0/24"});
  CHECK_THROWS_WITH(step::make_plan(json::object(), {fresh_listing(), {"not-an-address"}}),
                    Catch::Contains("management entry \"not-an-address\""));
}
