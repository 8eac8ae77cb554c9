// The iis-bindings plugin's pure policy logic: the bindings plan.
#include <catch2/catch.hpp>

#include "iis-bindings/binding_policy.hpp"

using smharden::json;

TEST_CASE("iis-bindings: catch-all replaced by the allowed binding, never none", "[iis-bindings]") {
  namespace b = smharden::iis_bindings;
  const json current = json::parse(R"([{"protocol":"http","binding_information":"*:9998:"}])");
  const json params = {{"allowed", json::parse(R"([{"protocol":"http","binding_information":"127.0.0.1:9998:"}])")}};
  const auto p = b::make_plan(params, current);
  REQUIRE(p.findings.size() == 2);
  CHECK(p.findings[0].id == "binding-unexpected:http/*:9998:");
  CHECK(p.findings[0].title.find("catch-all") != std::string::npos);
  CHECK(p.findings[1].id == "binding-missing:http/127.0.0.1:9998:");
  REQUIRE(p.bindings);
  CHECK(*p.bindings == params["allowed"]);
  CHECK(b::make_plan(params, params["allowed"]).findings.empty());
  CHECK_FALSE(b::make_plan(params, params["allowed"]).bindings);
  CHECK_THROWS_AS(b::make_plan({{"allowed", json::array()}}, current), std::invalid_argument);
  CHECK(b::is_catch_all(current[0]));
  CHECK_FALSE(b::is_catch_all(json{{"binding_information", "*:443:mail.example.com"}}));
}
