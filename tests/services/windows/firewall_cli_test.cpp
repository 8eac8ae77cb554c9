// The firewall step through the real CLI on a lab: check finds 9998 open to
// everyone, apply adds the two rules of group "smharden" and is compliant
// after, rollback restores the file's bytes; refusals write nothing.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "base/atomic_file.hpp"
#include "cli_lab.hpp"

using json = nlohmann::json;
using smharden::test::step_of;

namespace {

struct firewall_cli {
  smharden::test::cli_lab home{"smharden-firewall-cli"};
  std::filesystem::path file() const { return home.lab() / "windows" / "firewall.json"; }

  smharden::test::cli_result run(const std::string& mode, const json& management,
                                 const json& params = json::object()) const {
    const auto profile = home.write_json(
        "firewall.json", {{"name", "firewall-test"},
                          {"management_cidrs", management},
                          {"steps", {{"firewall", {{"enabled", true}, {"severity", "high"}, {"params", params}}}}}});
    std::vector<std::string> args{mode, "--profile", profile.string(), "--target", home.target(), "--format", "json"};
    if (mode == "apply") args.push_back("--yes");
    return home.cli().run(args);
  }

  json own_rules() const {
    json out = json::array();
    const json doc = json::parse(smharden::util::read_file(file()));
    for (const auto& r : doc["rules"]) {
      if (r["group"] == "smharden") out.push_back(r);
    }
    return out;
  }
};

bool has_finding(const json& step, const std::string& id) {
  for (const auto& f : step.value("findings", json::array())) {
    if (f["id"] == id) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("cli firewall: 9998 open -> apply -> compliant -> rollback restores the rules", "[windows][firewall][cli]") {
  firewall_cli f;
  const std::string original = smharden::util::read_file(f.file());
  const json mgmt = {"203.0.113.0/24"};

  const auto check = f.run("check", mgmt);
  CHECK(check.exit_code == 3);
  CHECK(has_finding(step_of(check.out_json(), "firewall"), "port-9998-open"));
  CHECK(smharden::util::read_file(f.file()) == original);

  const auto apply = f.run("apply", mgmt);
  INFO(apply.out << apply.err);
  REQUIRE(apply.exit_code == 0);
  CHECK(step_of(apply.out_json(), "firewall")["status"] == "applied");
  const json own = f.own_rules();
  REQUIRE(own.size() == 2);
  CHECK(own[0]["action"] == "allow");
  CHECK(own[0]["remote_addresses"] == "127.0.0.0/8,203.0.113.0/24,::1");
  CHECK(own[1]["action"] == "block");
  CHECK(own[1]["local_ports"] == "9998");

  const auto again = f.run("check", mgmt);
  CHECK(again.exit_code == 0);
  CHECK(step_of(again.out_json(), "firewall")["status"] == "compliant");

  const json history = json::parse(f.home.cli().run({"history", "--format", "json"}).out);
  std::string run_id;
  for (const json& r : history["runs"]) {
    if (r["mode"] == "apply" && r["mutations"].get<int>() > 0) run_id = r["id"];
  }
  REQUIRE_FALSE(run_id.empty());
  const auto rb = f.home.cli().run({"rollback", run_id});
  INFO(rb.out << rb.err);
  CHECK(rb.exit_code == 0);
  CHECK(smharden::util::read_file(f.file()) == original);
}

TEST_CASE("cli firewall: no management range is refused and writes nothing, loopback_only applies",
          "[windows][firewall][cli]") {
  firewall_cli f;
  const std::string original = smharden::util::read_file(f.file());
  const auto refused = f.run("apply", json::array());
  CHECK(refused.exit_code == 4);
  CHECK(refused.out.find("no management range is declared") != std::string::npos);
  CHECK(smharden::util::read_file(f.file()) == original);

  const auto loopback = f.run("apply", json::array(), {{"loopback_only", true}});
  INFO(loopback.out << loopback.err);
  CHECK(loopback.exit_code == 0);
  CHECK(f.own_rules().at(0)["remote_addresses"] == "127.0.0.0/8,::1");
}

TEST_CASE("cli firewall: a lab without firewall.json is not modelled, never compliant", "[windows][firewall][cli]") {
  firewall_cli f;
  std::filesystem::remove(f.file());
  const auto check = f.run("check", json{"203.0.113.0/24"});
  CHECK(check.exit_code != 0);
  CHECK(has_finding(step_of(check.out_json(), "firewall"), "firewall-not-modelled"));
  const auto apply = f.run("apply", json{"203.0.113.0/24"});
  CHECK(apply.exit_code == 3);  // a manual finding: the step stays in drift, nothing is applied
  CHECK(step_of(apply.out_json(), "firewall")["status"] == "drift");
  CHECK_FALSE(std::filesystem::exists(f.file()));
}
