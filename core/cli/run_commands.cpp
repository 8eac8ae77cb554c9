#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <iostream>

#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "engine/engine.hpp"
#include "engine/state_dir.hpp"
#include "errors.hpp"
#include "journal/journal_observer.hpp"
#include "journal/rollback.hpp"
#include "journal/secret_masking.hpp"
#include "report/report_writers.hpp"
#include "services/net/health_probe.hpp"
#include "services/service.hpp"
#include "util/atomic_file.hpp"

namespace smharden::cli {
namespace {

struct run_command_options {
  std::string profile;
  std::string target;
  std::vector<std::string> only, skip, tags, reports;
  bool with_deps = false;
  std::string format = "text";
  bool yes = false;
  bool no_restart = false;
  bool no_auto_rollback = false;
  bool allow_lockout_risk = false;
};

std::string render_for_file(const core::run_report& report, const std::string& file) {
  const auto ext = std::filesystem::path(file).extension().string();
  if (ext == ".json") return core::to_json(report).dump(2) + "\n";
  if (ext == ".xml") return core::render_junit(report);
  return core::render_text(report, false, true);
}

void emit(const core::run_report& report, const run_command_options& o, int verbosity) {
  if (o.format == "json") {
    std::cout << core::to_json(report).dump(2) << "\n";
  } else {
    std::cout << core::render_text(report, stdout_is_tty(), verbosity > 0);
  }
  std::cout.flush();
  for (const auto& file : o.reports) {
    try {
      util::write_file_atomic(file, render_for_file(report, file));
    } catch (const std::exception& e) {
      throw core::runtime_error(fmt::format("--report {}: {}", file, e.what()));
    }
  }
}

/// What --target the journal records, so rollback can rebuild the same target.
std::string target_spec_for_journal(const run_command_options& o, const services::target& t) {
  const std::filesystem::path given(o.target);
  std::error_code ec;
  if (!o.target.empty() && given.extension() == ".json" && std::filesystem::is_regular_file(given, ec)) {
    return std::filesystem::absolute(given).lexically_normal().string();
  }
  return t.describe();
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// The post-apply health probe over a read-only set of the target's services.
nlohmann::json probe_health(cli_context& ctx, const nlohmann::json& config, const services::target& target) {
  services::service_env env = read_only_env(ctx, "the health probe");
  services::service_list list = services::make_services(target, env);
  services::registry methods;
  for (auto& s : list) s->register_methods(methods);
  nlohmann::json result = services::net::run_health_probe(config, methods, ctx.cancel);
  for (auto& s : list) s->end_run();
  return journal::mask_secrets(result, ctx.redact);
}

std::string health_failure_text(const nlohmann::json& health) {
  std::string out;
  for (const auto& c : health.value("checks", nlohmann::json::array())) {
    if (c.value("ok", false)) continue;
    out += (out.empty() ? "" : "; ") + c.value("name", std::string("check"));
    if (c.contains("url")) out += " " + c["url"].get<std::string>();
    if (c.contains("error")) out += ": " + c["error"].get<std::string>();
  }
  return out;
}

/// After the engine: restarts left pending, the health probe, the automatic
/// rollback of a failed apply, and what an interrupted run tells the operator.
void finish_apply(cli_context& ctx, const run_command_options& o, const core::run_options& opts,
                  const nlohmann::json& health_cfg, journal::journal_observer& journal, core::run_report& report) {
  using nlohmann::json;
  journal.note_file_changes("engine");  // files the restarts wrote
  const bool interrupted = ctx.cancel.load() || journal.interrupted();
  bool failed = report.exit_code == static_cast<int>(core::exit_code::apply_failed);
  std::size_t pending = 0;
  for (const auto& r : report.restarts) pending += r.status == "pending" ? 1 : 0;
  if (pending > 0 && o.no_restart) {
    report.notices.push_back(
        fmt::format("--no-restart: {} restart(s) left pending; the changes that need them take "
                    "effect only after you restart what is listed",
                    pending));
  }

  bool health_failed = false;
  if (!health_cfg.empty()) {
    if (interrupted || failed) {
      report.extra["health"] = {{"skipped", interrupted ? "the run was interrupted" : "the apply failed"}};
    } else {
      if (pending > 0) {
        report.notices.emplace_back("health probe ran with restarts still pending: it shows the server as it runs now");
      }
      json health = probe_health(ctx, health_cfg, opts.target);
      journal.record("health", health);
      health_failed = !health.value("ok", false);
      if (health_failed) {
        report.notices.push_back(fmt::format("health probe failed after apply: {}", health_failure_text(health)));
      }
      report.extra["health"] = std::move(health);
    }
  }

  if ((failed || health_failed) && !interrupted) {
    const std::string why = health_failed ? "the health probe failed after apply" : "the apply failed";
    if (journal.mutations() == 0) {
      report.extra["rollback"] = {{"performed", false}, {"reason", "the run changed nothing"}};
    } else if (o.no_auto_rollback) {
      report.extra["rollback"] = {{"performed", false},
                                  {"reason", "--no-auto-rollback: the changes are kept"},
                                  {"how", fmt::format("smharden rollback {}", report.run_id)}};
      report.notices.push_back(
          fmt::format("{}; --no-auto-rollback keeps the changes. To undo them: smharden "
                      "rollback {}",
                      why, report.run_id));
    } else {
      journal.record("auto_rollback_start", {{"reason", why}});
      journal::rollback_request req;
      req.run_id = report.run_id;
      req.target_spec = target_spec_for_journal(o, opts.target);
      req.restart = !o.no_restart;
      req.reason = "automatic: " + why;
      journal::rollback_runner runner(ctx.secret_store(), ctx.redact, ctx.audit());
      journal::rollback_result rb;
      try {
        rb = runner.run(req, core::state_dir(), ctx.cancel);
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
        json after = probe_health(ctx, health_cfg, opts.target);
        journal.record("health_after_rollback", after);
        if (!after.value("ok", false)) {
          report.notices.push_back(
              fmt::format("the health probe still fails after the rollback: {} (the cause is not this run's change)",
                          health_failure_text(after)));
        }
        report.extra["health_after_rollback"] = std::move(after);
      }
    }
  }
  if (health_failed || interrupted) report.exit_code = static_cast<int>(core::exit_code::apply_failed);
  if (interrupted) {
    const std::string how = "smharden rollback --last";
    report.extra["interrupted"] = {{"message",
                                    "interrupted by the operator: the current call finished, nothing ran "
                                    "after it"},
                                   {"changes_made", journal.mutations()},
                                   {"undo", how},
                                   {"undo_this_run", fmt::format("smharden rollback {}", report.run_id)}};
    report.notices.push_back(
        fmt::format("interrupted: stopped after the current call; {} change(s) were made before "
                    "that. To undo them: {} (or smharden rollback {})",
                    journal.mutations(), how, report.run_id));
    std::cerr << fmt::format("smharden: interrupted; {} change(s) made. To undo them: {}\n", journal.mutations(), how);
  }
  std::string outcome = "ok";
  if (interrupted) {
    outcome = "interrupted";
  } else if (health_failed) {
    outcome = "health_failed";
  } else if (failed) {
    outcome = "failed";
  } else if (report.exit_code == static_cast<int>(core::exit_code::drift)) {
    outcome = "drift";
  }
  journal.record("run_end", {{"outcome", outcome},
                             {"exit_code", report.exit_code},
                             {"finished_at", core::utc_now_iso()},
                             {"summary", report.summary()}});
}

core::run_report execute(cli_context& ctx, const run_command_options& o, core::run_mode mode,
                         const core::run_plan& plan, const core::run_options& opts,
                         const nlohmann::json& health_cfg = nlohmann::json::object()) {
  const std::string run_id = core::new_run_id();
  core::engine_hooks hooks;
  std::unique_ptr<journal::journal_observer> journal;
  if (mode == core::run_mode::apply) {
    hooks.run_dir = core::state_dir() / "runs" / run_id;
    std::filesystem::create_directories(hooks.run_dir);
    journal = std::make_unique<journal::journal_observer>(journal::run_folder{hooks.run_dir}, ctx.redact, "apply",
                                                          &ctx.cancel);
    hooks.observer = journal.get();
    journal->record("run_start", {{"mode", "apply"},
                                  {"format", 1},
                                  {"run_id", run_id},
                                  {"profile", plan.prof.name},
                                  {"profile_file", opts.profile_file.string()},
                                  {"target", opts.target.describe()},
                                  {"target_spec", target_spec_for_journal(o, opts.target)},
                                  {"selected", plan.selected},
                                  {"no_restart", o.no_restart},
                                  {"allow_lockout_risk", o.allow_lockout_risk},
                                  {"started_at", core::utc_now_iso()},
                                  {"started_ns", now_ns()}});
  }
  const bool live = stderr_is_tty() && o.format == "text";
  if (live) {
    hooks.step_started = [](const std::string& step, std::size_t i, std::size_t n) {
      std::cerr << fmt::format("\r\033[K[{}/{}] {} ...", i, n, step) << std::flush;
    };
    hooks.progress = [](const std::string& step, uint32_t done, uint32_t total, const std::string& label) {
      std::cerr << fmt::format("\r\033[K{}: {}/{} {}", step, done, total, label) << std::flush;
    };
  }
  core::engine eng(ctx.registry(), ctx.secret_store(), ctx.redact, ctx.audit());
  stop_signal_scope signals(ctx.cancel);
  core::run_report report;
  try {
    report = eng.run(plan, opts, run_id, ctx.cancel, hooks);
  } catch (const std::exception& e) {
    if (journal) {
      journal->record(
          "run_end",
          {{"outcome", "error"}, {"error", ctx.redact.apply(e.what())}, {"finished_at", core::utc_now_iso()}});
    }
    throw;
  }
  if (live) std::cerr << "\r\033[K" << std::flush;
  if (journal) {
    report.extra["journal"] = {{"run_dir", hooks.run_dir.string()},
                               {"journal", journal->folder().journal().string()},
                               {"changes_journaled", journal->mutations()}};
    finish_apply(ctx, o, opts, health_cfg, *journal, report);
  }
  if (!hooks.run_dir.empty()) {
    util::write_file_atomic(hooks.run_dir / "report.json", core::to_json(report).dump(2) + "\n");
  }
  return report;
}

bool confirm_apply(const core::run_report& preview) {
  std::size_t to_change = 0;
  for (const auto& s : preview.steps) {
    if (s.status == core::step_status::drift) ++to_change;
  }
  if (to_change == 0) return false;
  std::cout << fmt::format("\napply will change {} step(s) on {}. Continue? [y/N] ", to_change, preview.target);
  std::cout.flush();
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

void run_command(cli_context& ctx, const run_command_options& o, core::run_mode mode) {
  core::selection sel;
  sel.only = split_commas(o.only);
  sel.skip = split_commas(o.skip);
  sel.tags = split_commas(o.tags);
  sel.with_deps = o.with_deps;
  core::run_options opts;
  opts.mode = mode;
  opts.profile_file = o.profile;
  opts.select = sel;
  opts.no_restart = o.no_restart;
  opts.no_auto_rollback = o.no_auto_rollback;
  opts.allow_lockout_risk = o.allow_lockout_risk;
  // Everything that can be wrong with the profile is found before the target is touched.
  const core::run_plan plan = core::plan_run(ctx.registry(), core::load_profile(o.profile), sel);
  opts.target = ctx.resolve_target(o.target);
  // A bad health setting is found before anything changes.
  const nlohmann::json health_cfg =
      mode == core::run_mode::apply
          ? services::net::health_config(nlohmann::json::parse(plan.prof.health.dump()),
                                         plan.prof.chain.empty() ? o.profile : plan.prof.chain.back().string(),
                                         opts.target)
          : nlohmann::json::object();

  if (mode == core::run_mode::apply && !o.yes) {
    if (!stdin_is_tty()) {
      throw core::usage_error("apply changes the server: pass --yes to confirm when not on a terminal");
    }
    core::run_options preview_opts = opts;
    preview_opts.mode = core::run_mode::check;
    const core::run_report preview = execute(ctx, o, core::run_mode::check, plan, preview_opts);
    std::cout << core::render_text(preview, stdout_is_tty(), false);
    if (!confirm_apply(preview)) {
      std::cout << "nothing applied\n";
      command_exit_code() = preview.exit_code;
      return;
    }
  }
  const core::run_report report = execute(ctx, o, mode, plan, opts, health_cfg);
  emit(report, o, ctx.verbosity);
  command_exit_code() = report.exit_code;
}

void add_common(CLI::App* cmd, run_command_options& o) {
  cmd->add_option("--profile", o.profile, "Profile file, e.g. profiles/baseline.json")->required();
  cmd->add_option("--target", o.target,
                  "local | lab:DIR | offline:DIR | TARGET.json (default: local on Windows, the user's lab elsewhere)");
  cmd->add_option("--only", o.only, "Run only these steps (comma-separated, repeatable)");
  cmd->add_option("--skip", o.skip, "Do not run these steps (comma-separated, repeatable)");
  cmd->add_option("--tags", o.tags, "Run only steps with any of these tags (comma-separated, repeatable)");
  cmd->add_flag("--with-deps", o.with_deps, "Also run what the selected steps require");
  cmd->add_option("--format", o.format, "Console output: text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--report", o.reports, "Also write the report to FILE (.json, .xml = JUnit, else text); repeatable");
}

}  // namespace

void add_run_commands(CLI::App& app, cli_context& ctx) {
  static run_command_options check_opts;
  auto* check = app.add_subcommand("check", "Check the target against a profile; changes nothing (exit 3 on drift)");
  add_common(check, check_opts);
  check->callback([&ctx] { run_command(ctx, check_opts, core::run_mode::check); });

  static run_command_options apply_opts;
  auto* apply = app.add_subcommand("apply", "Apply what is missing, then verify; asks first unless --yes");
  add_common(apply, apply_opts);
  apply->add_flag("-y,--yes", apply_opts.yes, "Do not ask for confirmation");
  apply->add_flag("--no-restart", apply_opts.no_restart,
                  "Leave requested service restarts / app pool recycles pending");
  apply->add_flag("--no-auto-rollback", apply_opts.no_auto_rollback, "Keep a failed apply's changes");
  apply->add_flag("--allow-lockout-risk", apply_opts.allow_lockout_risk,
                  "Apply allow-lists even when a management range would be excluded (recorded in the report)");
  apply->callback([&ctx] { run_command(ctx, apply_opts, core::run_mode::apply); });
}

}  // namespace smharden::cli
