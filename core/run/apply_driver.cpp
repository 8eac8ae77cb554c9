#include "run/apply_driver.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "base/atomic_file.hpp"
#include "base/errors.hpp"
#include "profile/access_block.hpp"
#include "report/report_writers.hpp"
#include "run/engine.hpp"
#include "run/health_probe.hpp"
#include "run/health_targets.hpp"
#include "run/journal_observer.hpp"
#include "run/password_rotation.hpp"
#include "run/rollback.hpp"
#include "run/run_lock.hpp"
#include "run/target_session.hpp"
#include "runtime/secret_masking.hpp"
#include "runtime/state_dir.hpp"

namespace smharden::core {
namespace {

using nlohmann::json;

/// The --target the journal records so that rollback rebuilds the same target: a target file by its
/// absolute path, anything else as the target describes itself.
std::string journaled_target_spec(const run_options& opts) {
  const std::filesystem::path given(opts.target_spec);
  std::error_code ec;
  if (!opts.target_spec.empty() && given.extension() == ".json" && std::filesystem::is_regular_file(given, ec)) {
    return std::filesystem::absolute(given).lexically_normal().string();
  }
  return opts.target.describe();
}

engine_hooks hooks_for(const run_progress& progress) {
  engine_hooks hooks;
  hooks.step_started = progress.step_started;
  hooks.progress = progress.progress;
  hooks.plugin_call = progress.plugin_call;
  hooks.plugin_call_done = progress.plugin_call_done;
  hooks.step_finished = progress.step_finished;
  return hooks;
}

void record_run_start(journal::journal_observer& journal, const run_plan& plan, const run_options& opts,
                      const std::string& run_id) {
  journal.record("run_start", {{"mode", "apply"},
                               {"format", 1},
                               {"run_id", run_id},
                               {"profile", plan.prof.name},
                               {"profile_file", opts.profile_file.string()},
                               {"target", opts.target.describe()},
                               {"target_spec", journaled_target_spec(opts)},
                               {"selected", plan.selected},
                               {"no_restart", opts.no_restart},
                               {"allow_lockout_risk", opts.allow_lockout_risk},
                               {"allow_access_change", opts.allow_access_change},
                               {"rotate_service_password", opts.rotate_service_password},
                               {"started_at", utc_now_iso()},
                               {"started_ns", now_ns()}});
}

/// The post-apply health probe over a read-only session of the target's services.
json probe_health(run_context& ctx, const run_options& opts) {
  target_session session(opts.target, read_only_env(ctx, "the health probe"));
  return journal::mask_secrets(run_health_probe(opts.health, session.methods(), ctx.cancel), ctx.redact);
}

std::string health_failure_text(const json& health) {
  std::string out;
  for (const auto& c : health.value("checks", json::array())) {
    if (c.value("ok", false)) continue;
    out += (out.empty() ? "" : "; ") + c.value("name", std::string("check"));
    if (c.contains("url")) out += " " + c["url"].get<std::string>();
    if (c.contains("error")) out += ": " + c["error"].get<std::string>();
  }
  return out;
}

/// The probe after a complete apply; true when it failed.
bool health_after_apply(run_context& ctx, const run_options& opts, journal::journal_observer& journal,
                        run_report& report, bool interrupted, bool failed, std::size_t pending) {
  if (opts.health.empty()) {
    const char* off =
        "the health probe is off: nothing checked that the server still serves webmail after this apply; the "
        "profile and the target have no \"health\" settings, or say \"enabled\": false (baseline.json has them on)";
    report.extra["health"] = {{"skipped", off}};
    report.notices.emplace_back(off);
    return false;
  }
  if (interrupted || failed) {
    report.extra["health"] = {{"skipped", interrupted ? "the run was interrupted" : "the apply failed"}};
    return false;
  }
  if (pending > 0) {
    report.notices.emplace_back("health probe ran with restarts still pending: it shows the server as it runs now");
  }
  json health = probe_health(ctx, opts);
  journal.record("health", health);
  const bool health_failed = !health.value("ok", false);
  if (health_failed) {
    report.notices.push_back(fmt::format("health probe failed after apply: {}", health_failure_text(health)));
  }
  if (health.contains("failing_before_apply")) {
    std::vector<std::string> names;
    for (const json& n : health["failing_before_apply"]) names.push_back(n.get<std::string>());
    report.notices.push_back(
        fmt::format("health probe: {} failed before this apply too, so the apply did not take it away (not counted)",
                    fmt::join(names, "; ")));
  }
  if (health.contains("audiences_skipped")) {
    report.notices.push_back(
        fmt::format("health probe: no check per audience: {}", health["audiences_skipped"].get<std::string>()));
  }
  report.extra["health"] = std::move(health);
  return health_failed;
}

void auto_rollback(run_context& ctx, const run_options& opts, journal::journal_observer& journal, run_report& report,
                   const std::string& why, bool health_failed) {
  journal.record("auto_rollback_start", {{"reason", why}});
  journal::rollback_request req;
  req.run_id = report.run_id;
  req.target_spec = opts.target_spec.empty() ? std::string() : journaled_target_spec(opts);
  req.restart = !opts.no_restart;
  req.reason = "automatic: " + why;
  journal::rollback_result rb;
  try {
    rb = journal::run_rollback_holding_lock(ctx, req);
  } catch (const std::exception& e) {
    rb.report = {{"error", ctx.redact.apply(e.what())}, {"complete", false}};
  }
  json row = rb.report;
  row["performed"] = !rb.nothing_to_do && rb.report.contains("run_id");
  journal.record("auto_rollback", {{"rollback_run", rb.rollback_run_id}, {"complete", rb.complete}});
  const std::size_t undone = row.value("undone", json::array()).size();
  const std::size_t failed_undo = row.value("failed", json::array()).size();
  report.notices.push_back(fmt::format(
      "{}: rolled back automatically (rollback run {}): {} change(s) undone{}{}", why,
      rb.rollback_run_id.empty() ? "-" : rb.rollback_run_id, undone,
      failed_undo > 0 ? fmt::format(", {} NOT undone (see \"rollback\" in the JSON report)", failed_undo) : "",
      rb.complete ? "" : "; run `smharden rollback --last` again after fixing the cause"));
  report.extra["rollback"] = std::move(row);
  if (health_failed && rb.complete) {
    json after = probe_health(ctx, opts);
    journal.record("health_after_rollback", after);
    if (!after.value("ok", false)) {
      report.notices.push_back(
          fmt::format("the health probe still fails after the rollback: {} (the cause is not this run's change)",
                      health_failure_text(after)));
    }
    report.extra["health_after_rollback"] = std::move(after);
  }
}

/// A failed apply (or failed health probe) is rolled back unless the operator said not to.
void roll_back_failed_apply(run_context& ctx, const run_options& opts, journal::journal_observer& journal,
                            run_report& report, bool health_failed, std::string why = {}) {
  if (why.empty()) why = health_failed ? "the health probe failed after apply" : "the apply failed";
  if (journal.mutations() == 0) {
    report.extra["rollback"] = {{"performed", false}, {"reason", "the run changed nothing"}};
  } else if (opts.no_auto_rollback) {
    report.extra["rollback"] = {{"performed", false},
                                {"reason", "--no-auto-rollback: the changes are kept"},
                                {"how", fmt::format("smharden rollback {}", report.run_id)}};
    report.notices.push_back(fmt::format("{}; --no-auto-rollback keeps the changes. To undo them: smharden rollback {}",
                                         why, report.run_id));
  } else {
    auto_rollback(ctx, opts, journal, report, why, health_failed);
  }
}

/// A new password from the target's CSPRNG (windows.random.password), through a session that writes nothing.
std::string generate_password(run_context& ctx, const run_options& opts, std::size_t length) {
  target_session session(opts.target, read_only_env(ctx, "the password rotation"));
  const services::method* m = session.methods().find("windows.random.password");
  if (m == nullptr) throw runtime_error("the target has no windows.random.password method: cannot rotate a password");
  return m->invoke(json{{"length", length}}).at("password").get<std::string>();
}

/// Before any step: the rotation's password (the pending one, the operator's secret, or a new one) is
/// on disk in the pending file and in the run's secrets, and rotation_start is journaled.
void begin_rotation(run_context& ctx, const run_options& opts, const rotation::scope& scope,
                    journal::journal_observer& journal, const std::string& run_id, run_report& report) {
  std::optional<rotation::pending> pending = rotation::read_pending(ctx.state_dir);
  std::string source;
  if (pending) {
    if (pending->secret != scope.secret) {
      throw usage_error(fmt::format(
          "{}: the pending rotation of run {} set secret \"{}\" but the profile's steps use \"{}\"; finish it "
          "with the profile that started it",
          rotation::cli_flag, pending->run_id, pending->secret, scope.secret));
    }
    source = "pending";
    if (ctx.secrets.get(scope.secret) && *ctx.secrets.get(scope.secret) != pending->password) {
      report.notices.push_back(fmt::format(
          "the rotation started by run {} is completed with its own password; the secret \"{}\" you supplied is not "
          "used",
          pending->run_id, scope.secret));
    }
  } else {
    rotation::pending fresh;
    fresh.run_id = run_id;
    fresh.secret = scope.secret;
    fresh.started_at = utc_now_iso();
    if (const auto supplied = ctx.secrets.get(scope.secret)) {
      fresh.password = *supplied;
      source = "supplied";
    } else {
      fresh.password = generate_password(ctx, opts, scope.password_length);
      source = "generated";
    }
    ctx.secrets.note_sensitive(fresh.password);
    rotation::write_pending(ctx.state_dir, fresh);
    pending = std::move(fresh);
  }
  ctx.secrets.put(scope.secret, pending->password);
  journal.record(
      "rotation_start",
      {{"secret", scope.secret}, {"steps", scope.steps}, {"password_from", source}, {"started_by", pending->run_id}});
  report.extra["rotation"] = {{"secret", scope.secret},
                              {"steps", scope.steps},
                              {"password_from", source},
                              {"started_by", pending->run_id},
                              {"complete", false}};
}

/// After the steps: when every rotation step applied its part, rotation_end is journaled and the pending
/// file removed (in that order: a run that dies between them leaves a rotation the next one completes).
void end_rotation(run_context& ctx, const rotation::scope& scope, journal::journal_observer& journal,
                  run_report& report) {
  std::vector<std::string> missing;
  for (const auto& id : scope.steps) {
    const auto it =
        std::find_if(report.steps.begin(), report.steps.end(), [&](const step_result& r) { return r.id == id; });
    if (it == report.steps.end() || it->status != step_status::applied) missing.push_back(id);
  }
  if (!missing.empty()) {
    report.extra["rotation"]["not_done"] = missing;
    report.notices.push_back(fmt::format(
        "the service password rotation is NOT complete ({} did not apply their part): the new password is kept in "
        "the pending rotation file; run `smharden apply {}` again to finish it with the same password",
        fmt::join(missing, ", "), rotation::cli_flag));
    return;
  }
  journal.record("rotation_end", {{"secret", scope.secret}, {"steps", scope.steps}});
  rotation::remove_pending(ctx.state_dir);
  report.extra["rotation"]["complete"] = true;
  report.notices.push_back(fmt::format(
      "service password rotated: {} now share a new password (secret \"{}\"; never shown, and its pending copy is "
      "removed). A rollback keeps it: the old password is not known",
      fmt::join(scope.steps, ", "), scope.secret));
}

}  // namespace

void note_interrupted(run_report& report, std::int64_t changes, bool at_once) {
  const std::string how = "smharden rollback --last";
  report.extra["interrupted"] = {
      {"message", at_once ? "stopped at once by the operator: the call that was running was killed"
                          : "interrupted by the operator: the current call finished, nothing ran after it"},
      {"changes_made", changes},
      {"undo", how},
      {"undo_this_run", fmt::format("smharden rollback {}", report.run_id)}};
  report.notices.push_back(
      fmt::format("interrupted: {}; {} change(s) were made before that. To undo them: {} (or smharden rollback {})",
                  at_once ? "stopped at once, the running call was killed" : "stopped after the current call", changes,
                  how, report.run_id));
}

namespace {

std::string outcome_of(const run_report& report, bool interrupted, bool health_failed, bool failed) {
  if (interrupted) return "interrupted";
  if (health_failed) return "health_failed";
  if (failed) return "failed";
  if (report.exit_code == static_cast<int>(exit_code::drift)) return "drift";
  return "ok";
}

/// After the engine: restarts left pending, the health probe, the automatic rollback of a failed
/// apply, what an interrupted run tells the operator, and the journal's run_end.
void finish_apply(run_context& ctx, const run_options& opts, journal::journal_observer& journal, run_report& report) {
  journal.note_file_changes("engine");  // files the restarts wrote
  const bool interrupted = ctx.cancel.load() || journal.interrupted();
  const bool failed = report.exit_code == static_cast<int>(exit_code::apply_failed);
  std::size_t pending = 0;
  for (const auto& r : report.restarts) pending += r.status == "pending" ? 1 : 0;
  if (pending > 0 && opts.no_restart) {
    report.notices.push_back(
        fmt::format("--no-restart: {} restart(s) left pending; the changes that need them take effect only after "
                    "you restart what is listed",
                    pending));
  }
  const bool health_failed = health_after_apply(ctx, opts, journal, report, interrupted, failed, pending);
  if ((failed || health_failed) && !interrupted) roll_back_failed_apply(ctx, opts, journal, report, health_failed);
  if (health_failed || interrupted) report.exit_code = static_cast<int>(exit_code::apply_failed);
  if (interrupted) note_interrupted(report, journal.mutations(), false);
  journal.record("run_end", {{"outcome", outcome_of(report, interrupted, health_failed, failed)},
                             {"exit_code", report.exit_code},
                             {"finished_at", utc_now_iso()},
                             {"summary", report.summary()}});
}

}  // namespace

run_report run_check(run_context& ctx, const run_plan& plan, const run_options& opts, const run_progress& progress) {
  run_options check_opts = opts;
  check_opts.mode = run_mode::check;
  engine eng(ctx.plugins, ctx.secrets, ctx.redact, ctx.log);
  const std::string run_id = new_run_id();
  if (progress.run_started) progress.run_started(run_id, {});
  run_report report = eng.run(plan, check_opts, run_id, ctx.cancel, hooks_for(progress));
  // A check changes nothing, so it only tells: an unreadable pending file is reported, not thrown.
  try {
    if (const auto pending = rotation::read_pending(ctx.state_dir)) {
      report.notices.push_back(rotation::pending_refusal(*pending));
    }
  } catch (const std::exception& e) {
    report.notices.emplace_back(ctx.redact.apply(e.what()));
  }
  return report;
}

run_report run_apply(run_context& ctx, const run_plan& plan, const run_options& opts, const run_progress& progress) {
  services::require_changeable(opts.target, "apply");
  run_options apply_opts = opts;
  apply_opts.mode = run_mode::apply;
  const std::string run_id = opts.run_id.empty() ? new_run_id() : opts.run_id;
  std::optional<rotation::scope> rotation_scope;
  if (opts.rotate_service_password) rotation_scope = rotation::scope_of(plan);
  std::optional<run_lock> lock;
  if (!opts.locked_by_caller) {
    lock.emplace(lock_settings(ctx, run_id, "apply", opts.wait_lock));
    lock->lock_target(opts.target);
  }
  // Under the lock: no other apply is finishing the rotation meanwhile.
  if (!opts.rotate_service_password) {
    if (const auto pending = rotation::read_pending(ctx.state_dir))
      throw usage_error(rotation::pending_refusal(*pending));
  }
  const journal::run_folder folder{journal::runs_dir(ctx.state_dir) / run_id};
  std::filesystem::create_directories(folder.dir);
  journal::journal_observer journal(folder, ctx.redact, "apply", &ctx.cancel);
  journal.audit_to(&ctx.log);
  record_run_start(journal, plan, apply_opts, run_id);
  if (progress.run_started) progress.run_started(run_id, folder.dir);
  engine_hooks hooks = hooks_for(progress);
  hooks.observer = &journal;
  hooks.run_dir = folder.dir;
  // What the probe will check is settled on the server as it is before the first step: the webmail URL its
  // bindings publish, and what each audience reaches (a check that fails already is not the apply's doing).
  json health = apply_opts.health;
  if (!health.empty()) {
    hooks.session_ready = [&health, &plan](const services::registry& methods) {
      health = resolve_health(health, audiences_json(plan.prof.access, plan.prof.management_audience()), methods);
    };
  }
  engine eng(ctx.plugins, ctx.secrets, ctx.redact, ctx.log);
  run_report report;
  try {
    run_report rotation_notes;
    if (rotation_scope) begin_rotation(ctx, apply_opts, *rotation_scope, journal, run_id, rotation_notes);
    report = eng.run(plan, apply_opts, run_id, ctx.cancel, hooks);
    apply_opts.health = std::move(health);
    for (auto& n : rotation_notes.notices) report.notices.push_back(std::move(n));
    if (rotation_scope) {
      report.extra["rotation"] = rotation_notes.extra["rotation"];
      end_rotation(ctx, *rotation_scope, journal, report);
    }
  } catch (const std::exception& e) {
    journal.record("run_end",
                   {{"outcome", "error"}, {"error", ctx.redact.apply(e.what())}, {"finished_at", utc_now_iso()}});
    throw;
  }
  report.extra["journal"] = {{"run_dir", folder.dir.string()},
                             {"journal", folder.journal().string()},
                             {"changes_journaled", journal.mutations()}};
  finish_apply(ctx, apply_opts, journal, report);
  util::write_file_atomic(folder.report(), to_json(report).dump(2) + "\n");
  return report;
}

void finish_abandoned_apply(run_context& ctx, const std::filesystem::path& run_dir, bool no_auto_rollback,
                            bool stopped_at_once, run_report& report) {
  const journal::run_folder folder{run_dir};
  auto journal = journal::journal_observer::reopen(folder, ctx.redact);
  journal->audit_to(&ctx.log);
  run_options opts;
  opts.no_auto_rollback = no_auto_rollback;
  const std::string what =
      report.extra.value("worker", json::object()).value("what", std::string("the run's worker ended"));
  journal->record("worker_ended", report.extra.value("worker", json::object()));
  report.extra["journal"] = {{"run_dir", folder.dir.string()},
                             {"journal", folder.journal().string()},
                             {"changes_journaled", journal->mutations()}};
  if (stopped_at_once) {
    journal->record("interrupt", {{"after_seq", journal->mutations()}, {"at_once", true}});
    note_interrupted(report, journal->mutations(), true);
  } else {
    roll_back_failed_apply(ctx, opts, *journal, report, false, what);
  }
  report.exit_code = static_cast<int>(exit_code::apply_failed);
  journal->record("run_end", {{"outcome", stopped_at_once ? "interrupted" : "failed"},
                              {"exit_code", report.exit_code},
                              {"finished_at", utc_now_iso()},
                              {"summary", report.summary()}});
  util::write_file_atomic(folder.report(), to_json(report).dump(2) + "\n");
}

}  // namespace smharden::core
