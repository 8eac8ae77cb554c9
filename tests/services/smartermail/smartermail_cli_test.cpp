// The sm steps through the real CLI on a lab: check, apply, re-apply.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>

#include "base/atomic_file.hpp"
#include "cli_lab.hpp"

using json = nlohmann::json;
using smharden::test::cli_result;
using smharden::test::step_of;

namespace {

const std::vector<std::string> sm_steps{"sm-admin", "sm-ids", "sm-extensions", "sm-relay"};

struct sm_cli {
  smharden::test::cli_lab home{"smharden-sm-cli"};
  std::filesystem::path lab_dir() const { return home.lab(); }

  /// The baseline's sm steps with its values, plus a management range (so
  /// sm-admin may restrict logins), 2FA left out (enrolment is manual) and
  /// the opt-in removal of unlisted SMTP-auth-bypass entries.
  std::string profile() const {
    json baseline = json::parse(smharden::util::read_file(SMHARDEN_SOURCE_DIR "/profiles/baseline.json"));
    json steps = json::object();
    for (const auto& id : sm_steps) steps[id] = baseline["steps"].at(id);
    steps["sm-version"] = baseline["steps"].at("sm-version");
    steps["sm-admin"]["params"]["require_two_factor"] = false;
    steps["sm-relay"]["params"]["remove_unlisted_bypass"] = true;
    baseline["steps"] = steps;
    baseline["management_cidrs"] = json::array({"127.0.0.1/32"});
    baseline["waivers"] = json::array();
    baseline.erase("$schema");
    return home.write("sm-baseline.json", baseline.dump(2)).string();
  }

  cli_result run(const std::string& mode, const std::string& only) const {
    std::vector<std::string> args{mode,     "--profile", profile(),  "--target", "lab:" + lab_dir().string(),
                                  "--only", only,        "--format", "json"};
    if (mode == "apply") args.push_back("--yes");
    return home.cli().run(args);
  }
};

}  // namespace

TEST_CASE("cli smartermail: a fresh lab drifts, apply fixes it, re-apply changes nothing", "[smartermail][cli]") {
  sm_cli f;
  const std::string only = "sm-admin,sm-ids,sm-extensions,sm-relay";
  const auto check = f.run("check", only);
  CHECK(check.exit_code == 3);
  const json drift = check.out_json();
  for (const auto& id : sm_steps) {
    INFO(id);
    CHECK(step_of(drift, id).at("status") == "drift");
  }

  const auto apply = f.run("apply", only);
  INFO(apply.out << apply.err);
  CHECK(apply.exit_code == 0);
  const json applied = apply.out_json();
  for (const auto& id : sm_steps) {
    INFO(id);
    CHECK(step_of(applied, id).at("status") == "applied");
  }
  const auto relay = json::parse(smharden::util::read_file(f.lab_dir() / "smartermail" / "smtp-in.json"));
  CHECK(relay["settings"]["allowRelay"] == 0);

  CHECK(f.run("check", only).exit_code == 0);
  const json again = f.run("apply", only).out_json();
  for (const auto& id : sm_steps) {
    INFO(id);
    CHECK(step_of(again, id).value("changes", json::array()).empty());
  }
}

TEST_CASE("cli smartermail: the lab's build is reported as critical", "[smartermail][cli]") {
  sm_cli f;
  const auto check = f.run("check", "sm-version");
  CHECK(check.exit_code == 3);
  const json report = check.out_json();
  const json& step = step_of(report, "sm-version");
  REQUIRE(step.at("findings").size() == 1);
  CHECK(step.at("findings")[0].at("id") == "outdated-build");
  CHECK(step.at("findings")[0].at("severity") == "critical");
}
