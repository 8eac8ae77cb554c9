// The rights plugin's pure policy, fed with the windows service's
// JSON shapes.
#include <catch2/catch.hpp>

#include "../finding_lookup.hpp"

#include "rights/rights_policy.hpp"

using json = nlohmann::json;

using smharden::test::ids;

TEST_CASE("rights: missing logon right is granted, deny right revoked", "[windows][plugins][rights]") {
  const auto none = smharden::rights::make_plan(json::object(), {{"exists", true}, {"rights", json::array()}});
  CHECK(ids(none.findings) == std::vector<std::string>{"missing:SeServiceLogonRight"});
  CHECK(none.grant == std::vector<std::string>{"SeServiceLogonRight"});
  const auto deny = smharden::rights::make_plan(
      json::object(), {{"exists", true}, {"rights", {"SeDenyServiceLogonRight", "SeServiceLogonRight"}}});
  CHECK(ids(deny.findings) == std::vector<std::string>{"forbidden:SeDenyServiceLogonRight"});
  CHECK(deny.grant.empty());
  CHECK(deny.revoke == std::vector<std::string>{"SeDenyServiceLogonRight"});
  const auto ok = smharden::rights::make_plan(json::object(), {{"exists", true}, {"rights", {"SeServiceLogonRight"}}});
  CHECK(ok.findings.empty());
  const auto missing = smharden::rights::make_plan(json::object(), {{"exists", false}});
  CHECK(missing.account_missing);
  CHECK(ids(missing.findings) == std::vector<std::string>{"account-missing"});
}
