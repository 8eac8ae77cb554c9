#include <fmt/format.h>

#include <csignal>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "engine/engine.hpp"
#include "engine/state_dir.hpp"
#include "errors.hpp"
#include "report/report_writers.hpp"
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

std::atomic<bool>* g_cancel = nullptr;

extern "C" void on_stop_signal(int /*sig*/) {
  if (g_cancel != nullptr) g_cancel->store(true);
}

/// Ctrl-C / SIGTERM ask the engine to stop after the current call.
class stop_signal_scope {
 public:
  explicit stop_signal_scope(std::atomic<bool>& flag) {
    g_cancel = &flag;
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
  }
  ~stop_signal_scope() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    g_cancel = nullptr;
  }
  stop_signal_scope(const stop_signal_scope&) = delete;
  stop_signal_scope& operator=(const stop_signal_scope&) = delete;
};

std::vector<std::string> split_commas(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    std::size_t start = 0;
    while (start <= item.size()) {
      const auto comma = item.find(',', start);
      const auto piece = item.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!piece.empty()) out.push_back(piece);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

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

core::run_report execute(cli_context& ctx, const run_command_options& o, core::run_mode mode,
                         const core::run_plan& plan, const core::run_options& opts) {
  const std::string run_id = core::new_run_id();
  core::engine_hooks hooks;
  if (mode == core::run_mode::apply) {
    hooks.run_dir = core::state_dir() / "runs" / run_id;
    std::filesystem::create_directories(hooks.run_dir);
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
  core::run_report report = eng.run(plan, opts, run_id, ctx.cancel, hooks);
  if (live) std::cerr << "\r\033[K" << std::flush;
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
  const core::run_report report = execute(ctx, o, mode, plan, opts);
  emit(report, o, ctx.verbosity);
  command_exit_code() = report.exit_code;
}

void add_common(CLI::App* cmd, run_command_options& o) {
  cmd->add_option("--profile", o.profile, "Profile file, e.g. profiles/baseline.json")->required();
  cmd->add_option("--target", o.target, "local | lab:DIR | offline:DIR | TARGET.json (default: local on Windows, the user's lab elsewhere)");
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
  apply->add_flag("--no-restart", apply_opts.no_restart, "Leave requested service restarts / app pool recycles pending");
  apply->add_flag("--no-auto-rollback", apply_opts.no_auto_rollback, "Keep a failed apply's changes");
  apply->add_flag("--allow-lockout-risk", apply_opts.allow_lockout_risk,
                  "Apply allow-lists even when a management range would be excluded (recorded in the report)");
  apply->callback([&ctx] { run_command(ctx, apply_opts, core::run_mode::apply); });
}

}  // namespace smharden::cli
