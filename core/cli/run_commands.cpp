#include <fmt/format.h>

#include <iostream>

#include "base/atomic_file.hpp"
#include "base/errors.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "profile/profile.hpp"
#include "report/report_writers.hpp"
#include "run/apply_driver.hpp"
#include "run/health_probe.hpp"

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
  unsigned wait_lock = 0;
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

core::run_progress console_progress(const run_command_options& o) {
  core::run_progress progress;
  if (!stderr_is_tty() || o.format != "text") return progress;
  progress.step_started = [](const std::string& step, std::size_t i, std::size_t n) {
    std::cerr << fmt::format("\r\033[K[{}/{}] {} ...", i, n, step) << std::flush;
  };
  progress.progress = [](const std::string& step, uint32_t done, uint32_t total, const std::string& label) {
    std::cerr << fmt::format("\r\033[K{}: {}/{} {}", step, done, total, label) << std::flush;
  };
  return progress;
}

core::run_report execute(cli_context& ctx, const run_command_options& o, const core::run_plan& plan,
                         const core::run_options& opts) {
  core::run_context run_ctx = ctx.run_context();
  const core::run_progress progress = console_progress(o);
  stop_signal_scope signals(ctx.cancel);
  core::run_report report = opts.mode == core::run_mode::apply ? core::run_apply(run_ctx, plan, opts, progress)
                                                               : core::run_check(run_ctx, plan, opts, progress);
  if (progress.step_started) std::cerr << "\r\033[K" << std::flush;
  if (const auto it = report.extra.find("interrupted"); it != report.extra.end()) {
    std::cerr << fmt::format("smharden: interrupted; {} change(s) made. To undo them: {}\n",
                             it->value("changes_made", 0), it->value("undo", ""));
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
  core::run_options opts;
  opts.mode = mode;
  opts.profile_file = o.profile;
  opts.select.only = split_commas(o.only);
  opts.select.skip = split_commas(o.skip);
  opts.select.tags = split_commas(o.tags);
  opts.select.with_deps = o.with_deps;
  opts.no_restart = o.no_restart;
  opts.no_auto_rollback = o.no_auto_rollback;
  opts.allow_lockout_risk = o.allow_lockout_risk;
  opts.target_spec = o.target;
  // The target file may require signed plugins: known before any plugin is loaded.
  if (!o.target.empty()) {
    try {
      ctx.require_signed_plugins = services::parse_target(o.target).require_signed_plugins();
    } catch (const core::profile_error& e) {
      throw core::profile_error(fmt::format("--target {}: {}", o.target, e.what()));
    }
  }
  // Everything that can be wrong with the profile is found before the target is touched.
  const core::run_plan plan = core::plan_run(ctx.registry(), core::load_profile(o.profile), opts.select);
  opts.target = ctx.resolve_target(o.target);
  opts.wait_lock = std::chrono::seconds(o.wait_lock);
  // An offline copy is refused before the confirmation preview: nothing there can be applied.
  if (mode == core::run_mode::apply) services::require_changeable(opts.target, "apply");
  // A bad health setting is found before anything changes.
  if (mode == core::run_mode::apply) {
    opts.health =
        core::health_config(nlohmann::json::parse(plan.prof.health.dump()),
                            plan.prof.chain.empty() ? o.profile : plan.prof.chain.back().string(), opts.target);
  }
  if (mode == core::run_mode::apply && !o.yes) {
    if (!stdin_is_tty()) {
      throw core::usage_error("apply changes the server: pass --yes to confirm when not on a terminal");
    }
    core::run_options preview_opts = opts;
    preview_opts.mode = core::run_mode::check;
    const core::run_report preview = execute(ctx, o, plan, preview_opts);
    std::cout << core::render_text(preview, stdout_is_tty(), false);
    if (!confirm_apply(preview)) {
      std::cout << "nothing applied\n";
      command_exit_code() = preview.exit_code;
      return;
    }
  }
  const core::run_report report = execute(ctx, o, plan, opts);
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
  add_wait_lock(apply, apply_opts.wait_lock);
  apply->callback([&ctx] { run_command(ctx, apply_opts, core::run_mode::apply); });
}

}  // namespace smharden::cli
