// The text report for a terminal: one line per step, its findings with
// current and desired values, changes, restarts, notes and the summary.
#include <catch2/catch.hpp>

#include <string>

#include "report/report_writers.hpp"
#include "sample_report.hpp"

using smharden::core::render_text;
using smharden::core::step_status;
using smharden::test::every_status_report;
using smharden::test::make_step;

TEST_CASE("text report: header, one line per step with its status, reasons and summary", "[report][text]") {
  const std::string out = render_text(every_status_report(), false, false);
  CHECK_THAT(out, Catch::StartsWith("smharden check — profile baseline on lab:/tmp/lab\n"));
  for (const char* line :
       {"compliant ok-step", "drift     drift-step", "applied   applied-step", "failed    failed-step",
        "blocked   blocked-step", "skipped   skipped-step", "waived    waived-step", "error     error-step"}) {
    INFO(line);
    CHECK(out.find(line) != std::string::npos);
  }
  CHECK(out.find("          verify found drift after apply\n") != std::string::npos);
  CHECK(out.find("          plugin not loaded\n") != std::string::npos);
  // The summary lists counts in the summary map's (alphabetical) order and leaves out zeros.
  CHECK_THAT(out, Catch::EndsWith("summary: 1 applied, 1 blocked, 1 compliant, 1 drift, 1 error, 1 failed, 1 skipped, "
                                  "1 waived (exit 3)\n"));
  CHECK(out.find('\033') == std::string::npos);  // no colour unless asked
}

TEST_CASE("text report: findings with current, desired, waiver and remediation, changes", "[report][text]") {
  auto r = every_status_report();
  r.steps[1].findings[0]["remediation"] = "set relay to nobody";
  r.steps[1].findings.push_back({{"severity", "medium"},
                                 {"title", "manual one"},
                                 {"current", nullptr},
                                 {"desired", std::string(300, 'z')},
                                 {"remediation", "ask the vendor"},
                                 {"automated", false}});
  const std::string out = render_text(r, false, false);
  CHECK(out.find("          - [high] relay is open\n            current: anyone\n            desired: nobody\n"
                 "            fix: set relay to nobody\n") != std::string::npos);
  CHECK(out.find("- [low] waived finding (waived until 2027-01-01: vendor ticket)\n"
                 "            current: 1\n            desired: 2\n") != std::string::npos);
  CHECK(out.find("current: (none)\n") != std::string::npos);
  CHECK(out.find("desired: " + std::string(157, 'z') + "...\n") != std::string::npos);  // long values are cut
  CHECK(out.find("manual: ask the vendor\n") != std::string::npos);
  CHECK(out.find("          * changed: relay closed\n") != std::string::npos);
}

TEST_CASE("text report: 'not selected' steps only when verbose, restarts, notes, overrides", "[report][text]") {
  smharden::core::run_report r;
  r.mode = "apply";
  r.profile = "strict";
  r.target = "local";
  r.steps.push_back(make_step("hidden-step", step_status::skipped, "not selected"));
  auto os = make_step("os-step", step_status::applied);
  os.os_access = true;
  r.steps.push_back(os);
  r.restarts.push_back({"app_pool", "SmarterMail", "failed", "timed out"});
  r.restarts.push_back({"service", "SmarterMail", "done", ""});
  r.notices.push_back("waiver w1 expired");
  r.overrides.push_back("--allow-lockout-risk");

  const std::string quiet = render_text(r, false, false);
  CHECK(quiet.find("hidden-step") == std::string::npos);
  CHECK(quiet.find("os-step        Title of os-step  [calls the OS directly]\n") != std::string::npos);
  CHECK(quiet.find("restart app_pool SmarterMail: failed — timed out\n") != std::string::npos);
  CHECK(quiet.find("restart service SmarterMail: done\n") != std::string::npos);
  CHECK(quiet.find("note: waiver w1 expired\n") != std::string::npos);
  CHECK(quiet.find("override: --allow-lockout-risk\n") != std::string::npos);
  CHECK_THAT(quiet, Catch::EndsWith("summary: 1 applied, 1 skipped (exit 0)\n"));

  const std::string verbose = render_text(r, false, true);
  CHECK(verbose.find("skipped   hidden-step") != std::string::npos);
  CHECK(verbose.find("          not selected\n") != std::string::npos);

  smharden::core::run_report empty;
  CHECK_THAT(render_text(empty, false, false), Catch::EndsWith("summary: no steps (exit 0)\n"));
}

TEST_CASE("text report: colours only when asked, by status", "[report][text]") {
  const std::string out = render_text(every_status_report(), true, false);
  CHECK(out.find("\033[32mcompliant\033[0m") != std::string::npos);
  CHECK(out.find("\033[33mdrift    \033[0m") != std::string::npos);
  CHECK(out.find("\033[31merror    \033[0m") != std::string::npos);
  CHECK(out.find("\033[2mskipped  \033[0m") != std::string::npos);
}

TEST_CASE("text report: the health probe, one line per check, and why it was skipped", "[report][text][health]") {
  using nlohmann::json;
  auto r = every_status_report();
  r.extra["health"] = {{"ok", false},
                       {"attempts", 1},
                       {"checks",
                        {{{"name", "webmail"}, {"url", "https://mail.example.test/"}, {"ok", true}, {"status", 200}},
                         {{"name", "webmail from webmail_users 0.0.0.0/0 (as 192.0.2.200)"},
                          {"audience", "webmail_users"},
                          {"url", "https://mail.example.test/"},
                          {"ok", false},
                          {"before_ok", true},
                          {"status", 400},
                          {"error", "HTTP.sys answers 400 (Invalid Hostname)\n"}},
                         {{"name", "smtp_relay from relay_apps 198.51.100.10 (as 198.51.100.10)"},
                          {"audience", "relay_apps"},
                          {"ok", false},
                          {"before_ok", false},
                          {"error", "the lab cannot decide"}}}}};
  r.extra["health_after_rollback"] = {{"skipped", "the apply failed"}};
  const std::string out = render_text(r, false, false);
  CHECK_THAT(out, Catch::Contains("health probe: FAILED (1 attempt)\n"
                                  "  ok    webmail https://mail.example.test/ (200)\n"
                                  "  FAIL  webmail from webmail_users 0.0.0.0/0 (as 192.0.2.200) (400): HTTP.sys "
                                  "answers 400 (Invalid Hostname)\\x0a\n"
                                  "  --    smtp_relay from relay_apps 198.51.100.10 (as 198.51.100.10): the lab cannot "
                                  "decide (failed before this apply too: not counted)\n"));
  CHECK_THAT(out, Catch::Contains("health probe after the rollback: skipped — the apply failed\n"));

  r.extra.erase("health_after_rollback");
  r.extra["health"] = {{"skipped", "the health probe is off"}};
  CHECK_THAT(render_text(r, false, false), Catch::Contains("health probe: skipped — the health probe is off\n"));
}
