#include <catch2/catch.hpp>

#include "base/errors.hpp"
#include "engine_harness.hpp"
#include "lab_files.hpp"
#include "report/report_writers.hpp"

using smharden::core::run_mode;
using smharden::core::step_status;
using smharden::test::engine_harness;
using smharden::test::step_of;

namespace {

std::string profile(const std::string& steps, const std::string& waivers = "[]") {
  return R"({"name": "engine-test", "steps": {)" + steps + R"(}, "waivers": )" + waivers + "}";
}

}  // namespace

TEST_CASE("check reports drift with current and desired values and changes nothing", "[engine]") {
  engine_harness h;
  h.state.values["tp-alpha"] = "off";
  const auto r = h.run(profile(R"("tp-alpha": {"params": {"want": "on"}})"), run_mode::check);
  const auto& s = step_of(r, "tp-alpha");
  CHECK(s.status == step_status::drift);
  REQUIRE(s.findings.size() == 1);
  CHECK(s.findings[0]["id"] == "value-differs");
  CHECK(s.findings[0]["current"] == "off");
  CHECK(s.findings[0]["desired"] == "on");
  CHECK(s.findings[0]["severity"] == "medium");
  CHECK(r.exit_code == 3);
  CHECK(h.state.sets == 0);
}

TEST_CASE("apply fixes drift, verifies, and a second apply changes nothing", "[engine]") {
  engine_harness h;
  smharden::test::recording_observer obs;
  const auto text = profile(R"("tp-alpha": {"params": {"want": "on"}}, "tp-beta": {"params": {"want": "yes"}})");
  const auto first = h.run(text, run_mode::apply, {}, &obs);
  CHECK(step_of(first, "tp-alpha").status == step_status::applied);
  CHECK(step_of(first, "tp-beta").status == step_status::applied);
  CHECK(step_of(first, "tp-alpha").changes.size() == 1);
  CHECK(h.state.values["tp-alpha"] == "on");
  CHECK(h.state.values["tp-beta"] == "yes");
  CHECK(first.exit_code == 0);
  // The undo record reaches the journal before the call runs.
  REQUIRE(obs.events.size() >= 2);
  CHECK_THAT(obs.events[0], Catch::StartsWith("before tp-alpha test.kv.set") && Catch::Contains("test.kv.delete"));
  CHECK(obs.events[1] == "after tp-alpha test.kv.set ok");

  const int sets = h.state.sets;
  const auto second = h.run(text, run_mode::apply);
  CHECK(step_of(second, "tp-alpha").status == step_status::compliant);
  CHECK(step_of(second, "tp-beta").status == step_status::compliant);
  CHECK(h.state.sets == sets);
  CHECK(second.exit_code == 0);
}

TEST_CASE("the host refuses a mutating call during check and reports the plugin's error", "[engine]") {
  engine_harness h;
  h.state.values["tp-alpha"] = "on";
  const auto r = h.run(profile(R"("tp-alpha": {"params": {"mutate_in_check": true}})"), run_mode::check);
  const auto& s = step_of(r, "tp-alpha");
  CHECK(s.status == step_status::error);
  CHECK_THAT(s.reason, Catch::Contains("attempted the mutating call test.kv.set during check"));
  CHECK(h.state.values["tp-alpha"] == "on");
  CHECK(h.state.sets == 0);
  CHECK(r.exit_code == 1);
}

TEST_CASE("a plugin that throws becomes an error status, not a crash", "[engine]") {
  engine_harness h;
  const auto r = h.run(profile(R"("tp-alpha": {"params": {"throw_in_check": true}}, "tp-beta": {})"), run_mode::check);
  CHECK(step_of(r, "tp-alpha").status == step_status::error);
  CHECK(step_of(r, "tp-alpha").reason == "test plugin failure in check");
  CHECK(step_of(r, "tp-beta").status == step_status::blocked);
  CHECK_THAT(step_of(r, "tp-beta").reason, Catch::Contains("requires tp-alpha is error"));
}

TEST_CASE("a failed apply blocks the steps that require it", "[engine]") {
  engine_harness h;
  const auto r = h.run(profile(R"("tp-alpha": {"params": {"throw_in_apply": true}}, "tp-beta": {}, "tp-gamma": {})"),
                       run_mode::apply);
  CHECK(step_of(r, "tp-alpha").status == step_status::failed);
  CHECK_THAT(step_of(r, "tp-alpha").reason, Catch::Contains("apply failed: test plugin failure in apply"));
  CHECK(step_of(r, "tp-beta").status == step_status::blocked);
  CHECK(step_of(r, "tp-gamma").status == step_status::blocked);
  CHECK(h.state.values.count("tp-beta") == 0);
  CHECK(r.exit_code == 4);
}

TEST_CASE("an apply that does not converge fails verification", "[engine]") {
  engine_harness h;
  const auto r = h.run(profile(R"("tp-alpha": {"params": {"apply_noop": true}})"), run_mode::apply);
  CHECK(step_of(r, "tp-alpha").status == step_status::failed);
  CHECK_THAT(step_of(r, "tp-alpha").reason, Catch::Contains("verify: 1 finding(s) remain"));
}

TEST_CASE("findings only the operator can fix are not applied and leave drift", "[engine]") {
  engine_harness h;
  const auto r = h.run(profile(R"("tp-alpha": {"params": {"manual": true}})"), run_mode::apply);
  CHECK(step_of(r, "tp-alpha").status == step_status::drift);
  CHECK(h.state.sets == 0);
  CHECK(r.exit_code == 3);
}

TEST_CASE("waivers cover findings until they expire", "[engine]") {
  engine_harness h;
  const std::string steps = R"("tp-alpha": {})";
  SECTION("active") {
    const auto r = h.run(
        profile(
            steps,
            R"([{"step": "tp-alpha", "finding": "value-differs", "reason": "vendor ticket 42", "expires": "2999-12-31"}])"),
        run_mode::check);
    const auto& s = step_of(r, "tp-alpha");
    CHECK(s.status == step_status::waived);
    CHECK(s.findings[0]["waived"]["reason"] == "vendor ticket 42");
    CHECK(r.exit_code == 0);
  }
  SECTION("expired") {
    const auto r =
        h.run(profile(steps, R"([{"step": "tp-alpha", "reason": "old exception", "expires": "2001-01-31"}])"),
              run_mode::check);
    CHECK(step_of(r, "tp-alpha").status == step_status::drift);
    REQUIRE(r.notices.size() == 1);
    CHECK_THAT(r.notices[0], Catch::Contains("waiver for tp-alpha") && Catch::Contains("expired on 2001-01-31"));
    CHECK(r.exit_code == 3);
  }
}

TEST_CASE("selection: an unselected dependency that is not compliant blocks, --with-deps runs it", "[engine]") {
  engine_harness h;
  const auto text = profile(R"("tp-alpha": {}, "tp-beta": {}, "tp-gamma": {})");
  smharden::core::selection only_beta;
  only_beta.only = {"tp-beta"};
  const auto blocked = h.run(text, run_mode::apply, only_beta);
  CHECK(step_of(blocked, "tp-alpha").status == step_status::skipped);
  CHECK_THAT(step_of(blocked, "tp-alpha").reason, Catch::Contains("checked as a dependency: not compliant"));
  CHECK(step_of(blocked, "tp-beta").status == step_status::blocked);
  CHECK(step_of(blocked, "tp-gamma").status == step_status::skipped);
  CHECK(step_of(blocked, "tp-gamma").reason == "not selected");
  CHECK(h.state.sets == 0);

  only_beta.with_deps = true;
  const auto with_deps = h.run(text, run_mode::apply, only_beta);
  CHECK(step_of(with_deps, "tp-alpha").status == step_status::applied);
  CHECK(step_of(with_deps, "tp-beta").status == step_status::applied);
  CHECK(step_of(with_deps, "tp-gamma").status == step_status::skipped);

  // Now that tp-alpha is compliant, selecting tp-beta alone runs it.
  h.state.values.erase("tp-beta");
  only_beta.with_deps = false;
  const auto after = h.run(text, run_mode::apply, only_beta);
  CHECK_THAT(step_of(after, "tp-alpha").reason, Catch::Contains("checked as a dependency: compliant"));
  CHECK(step_of(after, "tp-beta").status == step_status::applied);
}

TEST_CASE("apply: an unselected dependency that is not compliant stops every change before the first one", "[engine]") {
  engine_harness h;
  const auto text = profile(R"("tp-alpha": {}, "tp-beta": {}, "tp-delta": {})");
  smharden::core::selection beta_and_delta;
  beta_and_delta.only = {"tp-beta", "tp-delta"};
  const auto refused = h.run(text, run_mode::apply, beta_and_delta);
  CHECK(step_of(refused, "tp-beta").status == step_status::blocked);
  // tp-delta does not need tp-alpha, but applying it alone would only be rolled back with the failed run.
  CHECK(step_of(refused, "tp-delta").status == step_status::drift);
  CHECK_THAT(step_of(refused, "tp-delta").reason, Catch::Contains("nothing was applied"));
  CHECK(h.state.sets == 0);
  CHECK(refused.exit_code == 4);
  REQUIRE(refused.notices.size() == 1);
  CHECK_THAT(refused.notices[0],
             Catch::Contains("tp-alpha is not compliant and not selected") && Catch::Contains("--with-deps"));

  // The control: without the step that needs tp-alpha, tp-delta is applied.
  smharden::core::selection delta;
  delta.only = {"tp-delta"};
  const auto applied = h.run(text, run_mode::apply, delta);
  CHECK(step_of(applied, "tp-delta").status == step_status::applied);
  CHECK(applied.notices.empty());
  CHECK(applied.exit_code == 0);
}

TEST_CASE("restarts are batched: one per service per run, or left pending", "[engine]") {
  engine_harness h;
  const auto text = profile(
      R"("tp-alpha": {"params": {"restart": "SmarterMail"}}, "tp-beta": {"params": {"restart": "SmarterMail"}})");
  SECTION("performed once") {
    smharden::test::recording_observer obs;
    const auto r = h.run(text, run_mode::apply, {}, &obs);
    REQUIRE(r.restarts.size() == 1);
    CHECK(r.restarts[0].name == "SmarterMail");
    int restart_calls = 0;
    for (const auto& e : obs.events) {
      if (e.rfind("before engine windows.service.restart", 0) == 0) ++restart_calls;
    }
    CHECK(restart_calls == (r.restarts[0].status == "done" ? 1 : 0));
  }
  SECTION("--no-restart leaves them pending") {
    const auto r = h.run(text, run_mode::apply, {}, nullptr, /*no_restart=*/true);
    REQUIRE(r.restarts.size() == 1);
    CHECK(r.restarts[0].status == "pending");
    CHECK_THAT(r.restarts[0].message, Catch::Contains("--no-restart"));
  }
}

TEST_CASE("a secret a step puts reaches later steps and is redacted everywhere", "[engine][secrets]") {
  engine_harness h;
  const auto r = h.run(profile(R"("tp-alpha": {"params": {"put_secret": "service_password"}},
                                  "tp-beta": {"params": {"read_secret": "service_password"}})"),
                       run_mode::apply);
  CHECK(step_of(r, "tp-alpha").status == step_status::applied);
  const auto secret = h.secrets.get("service_password");
  REQUIRE(secret);
  CHECK(*secret == "generated-on-s3cr3t-value");
  const std::string report = smharden::core::to_json(r).dump();
  CHECK(report.find(*secret) == std::string::npos);
  h.log.reset();  // flush and close
  const std::string log = smharden::test::slurp(h.dir.path() / "audit.log");
  CHECK(log.find("secret service_password is ***") != std::string::npos);
  CHECK(log.find(*secret) == std::string::npos);
}

TEST_CASE("plan_run refuses cycles and missing or out-of-range dependencies before any plugin runs", "[engine]") {
  engine_harness h;
  auto plan = [&](const std::string& steps) {
    return smharden::core::plan_run(h.plugins, smharden::core::load_profile(h.write_profile(profile(steps))), {});
  };
  CHECK_THROWS_WITH(plan(R"("tp-cycle-x": {}, "tp-cycle-y": {})"),
                    Catch::Contains("tp-cycle-x -> tp-cycle-y -> tp-cycle-x") ||
                        Catch::Contains("tp-cycle-y -> tp-cycle-x -> tp-cycle-y"));
  CHECK_THROWS_AS(plan(R"("tp-wants-missing": {})"), smharden::core::graph_error);
  CHECK_THROWS_WITH(plan(R"("tp-wants-missing": {})"), Catch::Contains("tp-nowhere"));
  CHECK_THROWS_WITH(plan(R"("tp-wants-new": {}, "tp-alpha": {})"),
                    Catch::Contains("tp-alpha") && Catch::Contains("1.2.0") && Catch::Contains(">=2.0.0"));
  CHECK_THROWS_AS(plan(R"("tp-unknown": {})"), smharden::core::profile_error);
  CHECK(h.state.sets == 0);
}

TEST_CASE("steps run in dependency order, ties broken by profile order", "[engine]") {
  engine_harness h;
  const auto r = h.run(profile(R"("tp-delta": {"params": {"static": true}}, "tp-gamma": {"params": {"static": true}},
                                  "tp-beta": {"params": {"static": true}}, "tp-alpha": {"params": {"static": true}})"),
                       run_mode::check);
  std::vector<std::string> order;
  for (const auto& s : r.steps) order.push_back(s.id);
  CHECK(order == std::vector<std::string>{"tp-alpha", "tp-beta", "tp-gamma", "tp-delta"});
}
