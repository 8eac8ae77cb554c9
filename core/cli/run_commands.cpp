#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "base/atomic_file.hpp"
#include "base/errors.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "cli/run_worker.hpp"
#include "cli/stop_signals.hpp"
#include "profile/profile.hpp"
#include "report/report_writers.hpp"
#include "run/apply_driver.hpp"
#include "run/health_probe.hpp"
#include "run/run_lock.hpp"
#include "run/supervisor.hpp"
#include "runtime/state_dir.hpp"

namespace smharden::cli {
namespace {

struct run_command_options {
  std::string profile;
  std::string target;
  std::vector<std::string> only, skip, tags, reports;
  std::string metrics;  ///< a Prometheus textfile (.prom)
  bool with_deps = false;
  std::string format = "text";
  bool yes = false;
  bool no_restart = false;
  bool no_auto_rollback = false;
  bool allow_lockout_risk = false;
  bool allow_access_change = false;
  bool rotate_service_password = false;
  unsigned wait_lock = 0;
};

void emit(const core::run_report& report, const run_command_options& o, const cli_context& ctx) {
  if (o.format == "json") {
    std::cout << core::to_json(report).dump(2) << "\n";
  } else {
    std::cout << core::render_text(report, ctx.color_stdout(), ctx.verbosity > 0);
  }
  std::cout.flush();
  for (const auto& file : o.reports) {
    try {
      util::write_file_atomic(file, core::render_for_file(report, file));
    } catch (const std::exception& e) {
      throw core::runtime_error(fmt::format("--report {}: {}", file, e.what()));
    }
  }
  if (!o.metrics.empty()) {
    try {
      util::write_file_atomic(o.metrics, core::render_prometheus(report));
    } catch (const std::exception& e) {
      throw core::runtime_error(fmt::format("--metrics {}: {}", o.metrics, e.what()));
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

void forward_worker_output(const std::string& line) {
  // The host's own messages keep their prefix; anything else is what a plugin printed.
  if (line.rfind("smharden: ", 0) == 0) {
    std::cerr << line << "\n";
  } else {
    std::cerr << "smharden: plugin output: " << line << "\n";
  }
}

/// Runs a check or apply in a worker process and supervises it (run/supervisor.hpp).
core::run_report execute(cli_context& ctx, const run_command_options& o, core::run_mode mode) {
  core::supervised_run run;
  run.worker_args = {worker_flag};
  run.apply = mode == core::run_mode::apply;
  run.no_auto_rollback = o.no_auto_rollback;
  core::supervisor_console console;
  console.progress = console_progress(o);
  console.stop_requests = [] { return stop_requests(); };
  console.worker_output = forward_worker_output;
  // The supervisor outlives its worker: what must hold for the whole run (a run lock, the automatic
  // rollback after a crash) is taken or done here, in this process, around supervise_run.
  core::run_context run_ctx = ctx.run_context_without_plugins();
  std::optional<core::run_lock> lock;
  std::string run_id;
  if (run.apply) {
    const services::target target = ctx.resolve_target(o.target);
    services::require_changeable(target, "apply");
    run_id = core::new_run_id();
    lock.emplace(core::lock_settings(run_ctx, run_id, "apply", std::chrono::seconds(o.wait_lock)));
    lock->lock_target(target);
  }
  run.request = nlohmann::json{{"args", ctx.args},
                               {"mode", run.apply ? "apply" : "check"},
                               {"run_id", run_id},
                               {"secrets", ctx.secret_store().values()}}
                    .dump();
  set_supervising(true);
  core::run_report report;
  try {
    report = core::supervise_run(run_ctx, run, console);
  } catch (...) {
    set_supervising(false);
    throw;
  }
  set_supervising(false);
  if (console.progress.step_started) std::cerr << "\r\033[K" << std::flush;
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

/// The plan, the target and the health settings: everything that can be wrong is found before the
/// target is touched.
core::run_options prepare(cli_context& ctx, const run_command_options& o, core::run_mode mode, core::run_plan& plan) {
  core::run_options opts;
  opts.mode = mode;
  opts.profile_file = profile_argument(o.profile);
  opts.select.only = split_commas(o.only);
  opts.select.skip = split_commas(o.skip);
  opts.select.tags = split_commas(o.tags);
  opts.select.with_deps = o.with_deps;
  opts.no_restart = o.no_restart;
  opts.no_auto_rollback = o.no_auto_rollback;
  opts.allow_lockout_risk = o.allow_lockout_risk;
  opts.allow_access_change = o.allow_access_change;
  // In apply's confirmation preview (a check) the rotation's findings show; only the apply sets anything.
  opts.rotate_service_password = o.rotate_service_password;
  opts.target_spec = o.target;
  if (ctx.worker) {
    // The supervisor holds the run lock for the whole run and named the run it locked for.
    opts.run_id = ctx.worker->run_id;
    opts.locked_by_caller = !opts.run_id.empty();
  }
  // The target file may require signed plugins: known before any plugin is loaded.
  if (!o.target.empty()) {
    try {
      ctx.require_signed_plugins = services::parse_target(o.target).require_signed_plugins();
    } catch (const core::profile_error& e) {
      throw core::profile_error(fmt::format("--target {}: {}", o.target, e.what()));
    }
  }
  // Everything that can be wrong with the profile is found before the target is touched.
  plan = core::plan_run(ctx.registry(), core::load_profile(opts.profile_file), opts.select);
  opts.target = ctx.resolve_target(o.target);
  opts.wait_lock = std::chrono::seconds(o.wait_lock);
  // An offline copy is refused before the confirmation preview: nothing there can be applied.
  if (mode == core::run_mode::apply) services::require_changeable(opts.target, "apply");
  // A bad health setting is found before anything changes.
  if (mode == core::run_mode::apply) {
    opts.health =
        core::health_config(nlohmann::json(plan.prof.health),
                            plan.prof.chain.empty() ? o.profile : plan.prof.chain.back().string(), opts.target);
  }
  return opts;
}

/// The worker's side: plan, run here, and report every step to the supervisor.
void run_in_worker(cli_context& ctx, const run_command_options& o, core::run_mode mode) {
  using nlohmann::json;
  try {
    core::run_plan plan;
    const core::run_options opts = prepare(ctx, o, mode, plan);
    json chain = json::array();
    for (const auto& f : plan.prof.chain) chain.push_back(f.string());
    send_to_supervisor(ctx, {{"t", "begin"},
                             {"mode", mode == core::run_mode::apply ? "apply" : "check"},
                             {"target", opts.target.describe()},
                             {"profile", plan.prof.name},
                             {"chain", chain}});
    core::run_progress progress;
    progress.run_started = [&ctx](const std::string& id, const std::filesystem::path& dir) {
      send_to_supervisor(ctx, {{"t", "run"}, {"run_id", id}, {"run_dir", dir.string()}});
    };
    progress.step_started = [&ctx](const std::string& step, std::size_t i, std::size_t n) {
      send_to_supervisor(ctx, {{"t", "step_started"}, {"step", step}, {"index", i}, {"total", n}});
    };
    progress.progress = [&ctx](const std::string& step, uint32_t done, uint32_t total, const std::string& label) {
      send_to_supervisor(ctx, {{"t", "progress"}, {"step", step}, {"done", done}, {"total", total}, {"label", label}});
    };
    progress.plugin_call = [&ctx](const std::string& step, const std::string& phase, int timeout) {
      send_to_supervisor(ctx, {{"t", "call"}, {"step", step}, {"phase", phase}, {"timeout", timeout}});
    };
    progress.plugin_call_done = [&ctx] { send_to_supervisor(ctx, {{"t", "call_done"}}); };
    progress.step_finished = [&ctx](const core::step_result& r) {
      send_to_supervisor(ctx, {{"t", "step"}, {"result", json::parse(core::to_json(r).dump())}});
    };
    core::run_context run_ctx = ctx.run_context();
    const core::run_report report = mode == core::run_mode::apply ? core::run_apply(run_ctx, plan, opts, progress)
                                                                  : core::run_check(run_ctx, plan, opts, progress);
    send_to_supervisor(ctx, {{"t", "report"}, {"report", json::parse(core::to_json(report).dump())}});
    command_exit_code() = report.exit_code;
  } catch (const core::error& e) {
    send_to_supervisor(ctx,
                       {{"t", "error"}, {"code", static_cast<int>(e.code())}, {"message", ctx.redact.apply(e.what())}});
    command_exit_code() = static_cast<int>(e.code());
  } catch (const std::exception& e) {
    send_to_supervisor(ctx, {{"t", "error"},
                             {"code", static_cast<int>(core::exit_code::runtime)},
                             {"message", ctx.redact.apply(e.what())}});
    command_exit_code() = static_cast<int>(core::exit_code::runtime);
  }
}

/// The supervisor's side of a check or apply: the worker does the work, in as many runs as the
/// confirmation needs.
void run_command(cli_context& ctx, const run_command_options& o, core::run_mode mode) {
  if (ctx.worker)
    return run_in_worker(ctx, o, ctx.worker->mode == "apply" ? core::run_mode::apply : core::run_mode::check);
  if (mode == core::run_mode::apply && !o.yes) {
    if (!stdin_is_tty()) {
      throw core::usage_error("apply changes the server: pass --yes to confirm when not on a terminal");
    }
    const core::run_report preview = execute(ctx, o, core::run_mode::check);
    std::cout << core::render_text(preview, ctx.color_stdout(), false);
    if (!confirm_apply(preview)) {
      std::cout << "nothing applied\n";
      command_exit_code() = preview.exit_code;
      return;
    }
  }
  const core::run_report report = execute(ctx, o, mode);
  emit(report, o, ctx);
  command_exit_code() = report.exit_code;
}

void add_common(CLI::App* cmd, run_command_options& o) {
  cmd->add_option("--profile", o.profile, "Profile: a shipped profile's name (baseline) or a file")->required();
  cmd->add_option("--target", o.target,
                  "local | lab:DIR | offline:DIR | TARGET.json (default: local on Windows, the user's lab elsewhere)");
  cmd->add_option("--only", o.only, "Run only these steps (comma-separated, repeatable)");
  cmd->add_option("--skip", o.skip, "Do not run these steps (comma-separated, repeatable)");
  cmd->add_option("--tags", o.tags, "Run only steps with any of these tags (comma-separated, repeatable)");
  cmd->add_flag("--with-deps", o.with_deps, "Also run what the selected steps require");
  cmd->add_option("--format", o.format, "Console output: text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--report", o.reports,
                  "Also write the report to FILE (.json, .xml = JUnit, .html, .sarif, else text); repeatable");
  cmd->add_option("--metrics", o.metrics,
                  "Also write compliance gauges to FILE.prom (Prometheus text, for windows_exporter's textfile "
                  "collector)")
      ->check([](const std::string& file) -> std::string {
        if (std::filesystem::path(file).extension() == ".prom") return {};
        return "textfile collectors read only *.prom files: name it e.g. smharden.prom";
      });
}

}  // namespace

void add_run_commands(CLI::App& app, cli_context& ctx) {
  static run_command_options check_opts;
  auto* check = app.add_subcommand("check", "Check the target against a profile; changes nothing (exit 3 on drift)");
  add_common(check, check_opts);
  // Accepted only to say why it is refused: a check never changes anything.
  check->add_flag("--rotate-service-password", check_opts.rotate_service_password)->group("");
  check->callback([&ctx] {
    if (check_opts.rotate_service_password) {
      throw core::usage_error(
          "check --rotate-service-password: a check never changes anything; rotate with `smharden apply "
          "--rotate-service-password`, whose confirmation shows what it changes");
    }
    run_command(ctx, check_opts, core::run_mode::check);
  });

  static run_command_options apply_opts;
  auto* apply = app.add_subcommand("apply", "Apply what is missing, then verify; asks first unless --yes");
  add_common(apply, apply_opts);
  apply->add_flag("-y,--yes", apply_opts.yes, "Do not ask for confirmation");
  apply->add_flag("--no-restart", apply_opts.no_restart,
                  "Leave requested service restarts / app pool recycles pending");
  apply->add_flag("--no-auto-rollback", apply_opts.no_auto_rollback, "Keep a failed apply's changes");
  apply->add_flag("--allow-lockout-risk", apply_opts.allow_lockout_risk,
                  "Apply allow-lists even when a management range would be excluded (recorded in the report)");
  apply->add_flag("--allow-access-change", apply_opts.allow_access_change,
                  "Apply even when a step takes access from an audience of the profile (recorded in the report)");
  apply->add_flag("--rotate-service-password", apply_opts.rotate_service_password,
                  "Set a new password (generated, or the password_secret you supply) on the service user, the "
                  "service's logon and the IIS app pool, journaled; completes a rotation a failed run left pending");
  add_wait_lock(apply, apply_opts.wait_lock);
  apply->callback([&ctx] { run_command(ctx, apply_opts, core::run_mode::apply); });
}

}  // namespace smharden::cli
