// iis-bindings "catch_all_behind_firewall": the loopback 9998 binding becomes
// *:9998: only while the Windows Firewall proves that nobody but loopback and
// the management audience reaches the port, and all of management does.
#include <catch2/catch.hpp>

#include "iis-bindings/firewall_widening.hpp"

using smharden::json;
namespace b = smharden::iis_bindings;

namespace {

const json params = {{"scope", "listed_ports"},
                     {"catch_all_behind_firewall", true},
                     {"allowed",
                      {{{"protocol", "http"}, {"binding_information", "127.0.0.1:9998:"}},
                       {{"protocol", "https"}, {"binding_information", "*:443:mail.example.test"}}}}};

json rule(const std::string& name, const std::string& action, const std::string& ports, const std::string& remote) {
  return {{"name", name},     {"group", "smharden"}, {"enabled", true},      {"direction", "in"},
          {"action", action}, {"protocol", "tcp"},   {"local_ports", ports}, {"remote_addresses", remote}};
}

json listing(json rules) { return {{"modelled", true}, {"rules", std::move(rules)}}; }

// What the firewall step leaves: allow loopback and management, block the rest.
const json restricted = listing({rule("public 9998", "allow", "9998", "*"),
                                 rule("admin from management", "allow", "9998", "127.0.0.1,::1,203.0.113.0/24"),
                                 rule("admin from others", "block", "9998",
                                      "0.0.0.0-126.255.255.255,128.0.0.0-203.0.112.255,203.0.114.0-255.255.255.255,"
                                      "::,::2-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")});

std::string binding_9998(const json& p) { return p["allowed"][0]["binding_information"]; }

}  // namespace

TEST_CASE("iis-bindings: behind a firewall that admits only loopback and management, 9998 is the catch-all",
          "[iis-bindings][firewall]") {
  const auto w = b::widen_behind_firewall(params, {"203.0.113.0/24"}, restricted);
  CHECK(binding_9998(w.params) == "*:9998:");
  CHECK(w.params["allowed"][1] == params["allowed"][1]);  // other bindings as they are
  CHECK(w.notes.empty());
}

TEST_CASE("iis-bindings: the loopback binding stays unless the firewall proves the restriction",
          "[iis-bindings][firewall]") {
  SECTION("no management audience: only the server needs the port") {
    const auto w = b::widen_behind_firewall(params, {}, restricted);
    CHECK(binding_9998(w.params) == "127.0.0.1:9998:");
    CHECK(w.notes.empty());
  }
  SECTION("a fresh server's firewall lets everyone in") {
    const auto w =
        b::widen_behind_firewall(params, {"203.0.113.0/24"}, listing({rule("SmarterMail", "allow", "9998", "*")}));
    CHECK(binding_9998(w.params) == "127.0.0.1:9998:");
    REQUIRE(w.notes.size() == 1);
    CHECK_THAT(w.notes[0], Catch::Contains("the Windows Firewall lets 0.0.0.0/0 reach it"));
    CHECK_THAT(w.notes[0], Catch::Contains("apply the firewall step"));
  }
  SECTION("a management range the firewall does not let in") {
    const auto w = b::widen_behind_firewall(params, {"203.0.113.0/24", "198.51.100.0/24"}, restricted);
    CHECK(binding_9998(w.params) == "127.0.0.1:9998:");
    CHECK_THAT(w.notes.at(0), Catch::Contains("does not let 198.51.100.0/24 in"));
  }
  SECTION("rules the target does not model, or cannot be read, prove nothing") {
    CHECK(binding_9998(b::widen_behind_firewall(params, {"203.0.113.0/24"}, nullptr).params) == "127.0.0.1:9998:");
    CHECK(binding_9998(b::widen_behind_firewall(params, {"203.0.113.0/24"}, {{"modelled", false}}).params) ==
          "127.0.0.1:9998:");
    json broken = restricted;
    broken["rules"].push_back(rule("odd", "allow", "99999", "*"));
    CHECK_THAT(b::widen_behind_firewall(params, {"203.0.113.0/24"}, broken).notes.at(0),
               Catch::Contains("cannot be read"));
    json subnet = restricted;
    subnet["rules"].push_back(rule("lan", "allow", "9998", "LocalSubnet"));
    CHECK(binding_9998(b::widen_behind_firewall(params, {"203.0.113.0/24"}, subnet).params) == "127.0.0.1:9998:");
  }
  SECTION("without the flag, params come back as they are") {
    json plain = params;
    plain.erase("catch_all_behind_firewall");
    CHECK(b::widen_behind_firewall(plain, {"203.0.113.0/24"}, restricted).params == plain);
  }
}
