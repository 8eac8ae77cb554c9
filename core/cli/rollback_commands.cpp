// `smharden rollback` and `smharden history`: undo an apply run from its
// journal, and list the runs in the state directory.
#include <fmt/format.h>

#include <iostream>

#include "base/errors.hpp"
#include "cli/cli_support.hpp"
#include "cli/commands.hpp"
#include "run/rollback.hpp"
#include "run/run_folder.hpp"
#include "runtime/state_dir.hpp"

namespace smharden::cli {
namespace {

using nlohmann::json;

struct rollback_options {
  bool last = false;
  std::string run_id;
  std::vector<std::string> only;
  std::string target;
  std::string format = "text";
  bool no_restart = false;
  unsigned wait_lock = 0;
};

struct history_options {
  std::string format = "text";
};

std::string render_rollback_text(const json& r) {
  std::string out;
  if (r.value("nothing_to_do", false)) {
    for (const auto& n : r.value("notices", json::array())) out += n.get<std::string>() + "\n";
    return out;
  }
  out += fmt::format("rollback of run {} on {} (rollback run {})\n", r.value("rolls_back", ""), r.value("target", ""),
                     r.value("run_id", ""));
  const json undone = r.value("undone", json::array());
  out += fmt::format("undone: {} change(s)\n", undone.size());
  for (const auto& u : undone) {
    out += fmt::format("  {} {} {}{}\n", u.value("seq", 0), u.value("step", ""), u.value("method", ""),
                       u.value("description", "").empty() ? "" : " — " + u.value("description", ""));
  }
  const json failed = r.value("failed", json::array());
  if (!failed.empty()) {
    out += fmt::format("NOT undone: {}\n", failed.size());
    for (const auto& f : failed) {
      out += fmt::format("  {} {} {}: {}\n", f.value("seq", 0), f.value("step", ""), f.value("method", ""),
                         f.value("error", ""));
    }
  }
  for (const auto& f : r.value("files", json::array())) {
    out += fmt::format("file {}: {}{}\n", f.value("path", ""), f.value("outcome", ""),
                       f.contains("error") ? " — " + f.value("error", "") : "");
  }
  for (const auto& x : r.value("restarts", json::array())) {
    out += fmt::format("restart {} {}: {}{}\n", x.value("kind", ""), x.value("name", ""), x.value("status", ""),
                       x.value("message", "").empty() ? "" : " — " + x.value("message", ""));
  }
  for (const auto& n : r.value("notices", json::array())) out += fmt::format("note: {}\n", n.get<std::string>());
  out += fmt::format("run {} rolled back: {}\n", r.value("rolls_back", ""), r.value("run_rolled_back", ""));
  return out;
}

void rollback_command(cli_context& ctx, const rollback_options& o) {
  journal::rollback_request req;
  req.last = o.last;
  req.run_id = o.run_id;
  req.only = split_commas(o.only);
  req.target_spec = o.target;
  req.restart = !o.no_restart;
  req.reason = "operator";
  req.wait_lock = std::chrono::seconds(o.wait_lock);
  core::run_context run_ctx = ctx.run_context_without_plugins();
  // Ctrl-C, SIGTERM and SIGHUP set ctx.cancel (stop_signals.hpp): the rollback stops after the current undo.
  const journal::rollback_result result = journal::run_rollback(run_ctx, req);

  if (o.format == "json") {
    std::cout << result.report.dump(2) << "\n";
  } else {
    std::cout << render_rollback_text(result.report);
  }
  std::cout.flush();
  command_exit_code() = result.exit_code;
}

void run_history(const history_options& o) {
  const auto runs = journal::list_runs(core::state_dir());
  if (o.format == "json") {
    json out = {{"state_dir", core::state_dir().string()}, {"runs", json::array()}};
    for (const auto& r : runs) out["runs"].push_back(r.to_json());
    std::cout << out.dump(2) << "\n";
    return;
  }
  if (runs.empty()) {
    std::cout << fmt::format("no runs in {}\n", journal::runs_dir(core::state_dir()).string());
    return;
  }
  std::cout << fmt::format("{:<24} {:<9} {:<16} {:<14} {:<11} {:>7}  {}\n", "RUN", "MODE", "PROFILE", "OUTCOME",
                           "ROLLED BACK", "CHANGES", "TARGET");
  for (const auto& r : runs) {
    std::cout << fmt::format("{:<24} {:<9} {:<16} {:<14} {:<11} {:>7}  {}\n", r.id, r.mode, r.profile, r.outcome,
                             r.rolled_back, r.mutations, r.target);
    if (r.mode == "rollback" && !r.rolls_back.empty())
      std::cout << fmt::format("{:<24} undoes run {}\n", "", r.rolls_back);
    if (!r.problem.empty()) std::cout << fmt::format("{:<24} problem: {}\n", "", r.problem);
  }
}

}  // namespace

void add_rollback_commands(CLI::App& app, cli_context& ctx) {
  static rollback_options rb;
  auto* rollback =
      app.add_subcommand("rollback", "Undo an apply run's changes from its journal (newest first); safe to repeat");
  rollback->add_flag("--last", rb.last, "Roll back the most recent apply run that changed something");
  rollback->add_option("run_id", rb.run_id, "The apply run to roll back (see `smharden history`)");
  rollback->add_option("--only", rb.only, "Undo only these steps (comma-separated, repeatable)");
  rollback->add_option("--target", rb.target, "Target to restore, when it moved since the run (default: the run's)");
  rollback->add_option("--format", rb.format, "Console output: text or json")->check(CLI::IsMember({"text", "json"}));
  rollback->add_flag("--no-restart", rb.no_restart,
                     "Do not redo the run's service restarts / app pool recycles after undoing");
  add_wait_lock(rollback, rb.wait_lock);
  rollback->callback([&ctx] { rollback_command(ctx, rb); });

  static history_options hist;
  auto* history = app.add_subcommand("history", "List runs: id, mode, profile, outcome, rolled back or not");
  history->add_option("--format", hist.format, "Console output: text or json")->check(CLI::IsMember({"text", "json"}));
  history->callback([] { run_history(hist); });
}

}  // namespace smharden::cli
