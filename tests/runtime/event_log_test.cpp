// The audit trail's Windows Event Log entries: which audit record becomes
// which event id, level and text (event_log_entry_for), redacted and on one
// line through the audit log, on every OS; the Windows writer itself is
// exercised under Wine (tests/wine).
#include <catch2/catch.hpp>

#include <vector>

#include "runtime/audit_log.hpp"
#include "runtime/event_log.hpp"

using nlohmann::json;
using smharden::core::event_id;
using smharden::core::event_log_entry;
using smharden::core::event_log_entry_for;

namespace {

class recording_writer final : public smharden::core::event_log_writer {
 public:
  explicit recording_writer(std::vector<event_log_entry>& out) : out_(out) {}
  void write(const event_log_entry& e) noexcept override { out_.push_back(e); }

 private:
  std::vector<event_log_entry>& out_;
};

event_log_entry mapped(const std::string& mode, const std::string& type, const json& fields) {
  const auto e = event_log_entry_for(mode, "20260101T000000Z-abcd", type, fields);
  REQUIRE(e.has_value());
  return *e;
}

}  // namespace

TEST_CASE("event log: an apply's start and end, by outcome") {
  const auto start = mapped("apply", "run_start", {{"profile", "baseline"}, {"target", "local"}});
  CHECK(start.id == event_id::apply_started);
  CHECK(start.level == SMH_LOG_INFO);
  CHECK(start.text == "smharden apply 20260101T000000Z-abcd started: profile baseline, target local");

  const auto ok = mapped("apply", "run_end", {{"outcome", "ok"}, {"exit_code", 0}});
  CHECK(ok.id == event_id::apply_ended);
  CHECK(ok.level == SMH_LOG_INFO);
  CHECK(ok.text == "smharden apply 20260101T000000Z-abcd ended: ok (exit code 0)");

  const auto drift = mapped("apply", "run_end", {{"outcome", "drift"}, {"exit_code", 3}});
  CHECK(drift.id == event_id::apply_ended_with_drift);
  CHECK(drift.level == SMH_LOG_WARN);

  for (const std::string outcome : {"failed", "health_failed", "interrupted", "error"}) {
    const auto bad = mapped("apply", "run_end", {{"outcome", outcome}, {"exit_code", 4}, {"error", "disk full"}});
    CHECK(bad.id == event_id::apply_failed);
    CHECK(bad.level == SMH_LOG_ERROR);
    CHECK_THAT(bad.text, Catch::Contains("ended: " + outcome));
  }
  CHECK_THAT(mapped("apply", "run_end", {{"outcome", "error"}, {"error", "disk full"}}).text,
             Catch::EndsWith(": disk full"));
}

TEST_CASE("event log: each change, and a change that failed") {
  const auto change = mapped(
      "apply", "mutation",
      {{"seq", 3}, {"step", "sm-relay"}, {"method", "smartermail.relay.set"}, {"description", "Allow Relay: nobody"}});
  CHECK(change.id == event_id::change_made);
  CHECK(change.level == SMH_LOG_INFO);
  CHECK(change.text ==
        "smharden apply 20260101T000000Z-abcd: change 3 in step sm-relay: smartermail.relay.set (undo: Allow Relay: "
        "nobody)");
  // A rollback's undo calls are changes too.
  CHECK(mapped("rollback", "mutation", {{"seq", 1}, {"step", "sm-relay"}, {"method", "m"}}).id ==
        event_id::change_made);

  const auto failed = mapped("apply", "mutation_done", {{"seq", 3}, {"ok", false}});
  CHECK(failed.id == event_id::change_failed);
  CHECK(failed.level == SMH_LOG_WARN);
  CHECK_FALSE(event_log_entry_for("apply", "r", "mutation_done", {{"seq", 3}, {"ok", true}}).has_value());
}

TEST_CASE("event log: a rollback's start and end, complete or not") {
  const auto start = mapped("rollback", "run_start",
                            {{"rolls_back", "20251231T000000Z-0001"}, {"reason", "operator"}, {"target", "local"}});
  CHECK(start.id == event_id::rollback_started);
  CHECK(start.level == SMH_LOG_INFO);
  CHECK(start.text ==
        "smharden rollback 20260101T000000Z-abcd of run 20251231T000000Z-0001 started (operator): target local");
  const auto done = mapped("rollback", "run_end", {{"outcome", "rolled_back"}});
  CHECK(done.id == event_id::rollback_ended);
  CHECK(done.level == SMH_LOG_INFO);
  for (const std::string outcome : {"incomplete", "interrupted"}) {
    const auto bad = mapped("rollback", "run_end", {{"outcome", outcome}});
    CHECK(bad.id == event_id::rollback_incomplete);
    CHECK(bad.level == SMH_LOG_ERROR);
    CHECK_THAT(bad.text, Catch::Contains("smharden rollback --last"));
  }
}

TEST_CASE("event log: overrides, and records that are not part of the audit trail") {
  const auto o = mapped("apply", "override", {{"what", "--allow-lockout-risk: the change may lock out 192.0.2.10"}});
  CHECK(o.id == event_id::override_used);
  CHECK(o.level == SMH_LOG_WARN);
  CHECK_THAT(o.text, Catch::EndsWith("override: --allow-lockout-risk: the change may lock out 192.0.2.10"));
  for (const std::string type : {"file_backup", "file_state", "step_end", "health", "undo_start", "interrupt"}) {
    CHECK_FALSE(event_log_entry_for("apply", "r", type, json::object()).has_value());
  }
  CHECK_FALSE(event_log_entry_for("check", "r", "run_start", json::object()).has_value());
}

TEST_CASE("event log: the ids are distinct and stable") {
  // docs/event-log.md lists these numbers; an operator's Event Viewer filters depend on them.
  CHECK(static_cast<int>(event_id::apply_started) == 1000);
  CHECK(static_cast<int>(event_id::apply_ended) == 1001);
  CHECK(static_cast<int>(event_id::apply_ended_with_drift) == 1002);
  CHECK(static_cast<int>(event_id::apply_failed) == 1003);
  CHECK(static_cast<int>(event_id::change_made) == 1010);
  CHECK(static_cast<int>(event_id::change_failed) == 1011);
  CHECK(static_cast<int>(event_id::rollback_started) == 1020);
  CHECK(static_cast<int>(event_id::rollback_ended) == 1021);
  CHECK(static_cast<int>(event_id::rollback_incomplete) == 1022);
  CHECK(static_cast<int>(event_id::override_used) == 1030);
  CHECK(static_cast<int>(event_id::rotation_started) == 1040);
  CHECK(static_cast<int>(event_id::rotation_completed) == 1041);
}

TEST_CASE("event log: a service password rotation's start and completion, without the password") {
  const auto start = mapped("apply", "rotation_start",
                            {{"secret", "service_password"},
                             {"steps", {"accounts", "service", "iis-identity"}},
                             {"password_from", "generated"},
                             {"started_by", "20251231T000000Z-0001"}});
  CHECK(start.id == event_id::rotation_started);
  CHECK(start.level == SMH_LOG_INFO);
  CHECK(start.text ==
        "smharden apply 20260101T000000Z-abcd: service password rotation of secret service_password started in steps "
        "accounts, service, iis-identity (password generated, rotation begun by run 20251231T000000Z-0001)");
  const auto end =
      mapped("apply", "rotation_end", {{"secret", "service_password"}, {"steps", {"accounts", "service"}}});
  CHECK(end.id == event_id::rotation_completed);
  CHECK(end.level == SMH_LOG_INFO);
  CHECK(end.text ==
        "smharden apply 20260101T000000Z-abcd: service password rotation of secret service_password completed in "
        "steps accounts, service");
  // A rollback never journals a rotation; the records mean nothing there.
  CHECK_FALSE(event_log_entry_for("rollback", "r", "rotation_start", json::object()).has_value());
}

TEST_CASE("event log: a long text is cut, through the audit log it is redacted and on one line") {
  const auto long_one = mapped("apply", "override", {{"what", std::string(20000, 'x')}});
  CHECK(long_one.text.size() < 9000);
  CHECK_THAT(long_one.text, Catch::EndsWith("[...]"));

  smharden::core::redactor redact;
  redact.add("S3cret-Value-42");
  smharden::core::audit_log log(redact, {}, SMH_LOG_ERROR);
  std::vector<event_log_entry> written;
  log.record("apply", "r1", "override", {{"what", "no writer yet"}});
  log.set_event_log(std::make_unique<recording_writer>(written));
  log.record("apply", "r1", "override", {{"what", "password S3cret-Value-42\nforged line"}});
  log.record("apply", "r1", "file_state", {{"path", "x"}});
  REQUIRE(written.size() == 1);
  CHECK(written[0].text.find("S3cret-Value-42") == std::string::npos);
  CHECK(written[0].text.find('\n') == std::string::npos);
  CHECK_THAT(written[0].text, Catch::Contains("forged line"));
}
