// iis-bindings: what the bindings let reach each surface (the access guard's
// input), and "scope": "listed_ports", which keeps the public webmail bindings.
#include <catch2/catch.hpp>

#include "iis-bindings/binding_policy.hpp"

using smharden::json;
namespace b = smharden::iis_bindings;

namespace {
const json public_site = json::parse(R"([{"protocol":"http","binding_information":"*:80:mail.example.test"},
  {"protocol":"https","binding_information":"*:443:mail.example.test","ssl_flags":1},
  {"protocol":"http","binding_information":"*:9998:"}])");
}  // namespace

TEST_CASE("iis-bindings: listed_ports replaces only the bindings on the ports allowed names", "[iis-bindings]") {
  const json params = {{"scope", "listed_ports"},
                       {"allowed", json::parse(R"([{"protocol":"http","binding_information":"127.0.0.1:9998:"}])")}};
  const auto p = b::make_plan(params, public_site);
  REQUIRE(p.bindings);
  CHECK(*p.bindings == json::parse(R"([{"protocol":"http","binding_information":"*:80:mail.example.test"},
      {"protocol":"https","binding_information":"*:443:mail.example.test","ssl_flags":1},
      {"protocol":"http","binding_information":"127.0.0.1:9998:"}])"));
  REQUIRE(p.findings.size() == 2);
  CHECK(p.findings[0].id == "binding-unexpected:http/*:9998:");
  CHECK(b::make_plan(params, *p.bindings).findings.empty());
  // The default scope governs the whole site: the public bindings would go.
  CHECK(b::make_plan({{"allowed", params["allowed"]}}, public_site).findings.size() == 4);
}

TEST_CASE("iis-bindings: reach of the bindings for the access guard", "[iis-bindings][access]") {
  CHECK(b::reach_policy(public_site) == json{{"default", "allow"}});
  CHECK(b::reach_policy(public_site, 9998) == json{{"default", "allow"}});
  const json loopback = json::parse(R"([{"protocol":"http","binding_information":"*:80:mail.example.test"},
      {"protocol":"http","binding_information":"127.0.0.1:9998:"},
      {"protocol":"http","binding_information":"[::1]:9998:"}])");
  CHECK(b::reach_policy(loopback, 9998) == json{{"allow", {"127.0.0.1", "::1"}}, {"default", "deny"}});
  CHECK(b::reach_policy(loopback) == json{{"default", "allow"}});
  CHECK(b::reach_policy(json::array()) == json{{"allow", json::array()}, {"default", "deny"}});
  CHECK(b::reach_policy(json::parse(R"([{"binding_information":"nonsense"}])")).contains("unknown"));

  const json only_loopback = json::parse(R"([{"protocol":"http","binding_information":"127.0.0.1:9998:"}])");
  const json r = b::access_request(public_site, only_loopback);
  CHECK(r["step"] == "iis-bindings");
  CHECK(r["surfaces"]["webmail"]["before"] == json{{"default", "allow"}});
  CHECK(r["surfaces"]["webmail"]["after"] == json{{"allow", {"127.0.0.1"}}, {"default", "deny"}});
  CHECK(r["surfaces"]["port_9998"]["after"] == r["surfaces"]["webmail"]["after"]);
  for (const char* s : {"webmail", "activesync_mapi", "admin_login", "port_9998"}) CHECK(r["surfaces"].contains(s));
}
