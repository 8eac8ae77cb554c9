#include "run/rollback_plan.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "base/errors.hpp"
#include "run/journal_file.hpp"
#include "run/password_rotation.hpp"
#include "run/restart_table.hpp"

namespace smharden::journal {
namespace {

/// Files whose bytes the rollback may put back: every step that changed them is being undone.
bool file_selected(const journaled_file& f, const std::set<std::string>& only, bool run_ended) {
  if (only.empty()) return true;
  if (!run_ended) return false;  // a step killed mid-way may have changed it without a file_state record
  // The engine's restarts are not a step and change no setting.
  return std::all_of(f.steps.begin(), f.steps.end(),
                     [&](const std::string& s) { return s == "engine" || only.count(s) != 0; });
}

journaled_run load_apply_run(const std::filesystem::path& state_dir, const std::string& run_id) {
  const run_folder folder{runs_dir(state_dir) / run_id};
  std::error_code ec;
  if (run_id.empty() || !std::filesystem::exists(folder.journal(), ec)) {
    throw core::usage_error(
        fmt::format("rollback: no run \"{}\" with a journal in {}; `smharden history` lists the runs", run_id,
                    runs_dir(state_dir).string()));
  }
  journaled_run jr = load_journaled_run(folder);
  if (jr.mode() != "apply") {
    throw core::usage_error(fmt::format("rollback: run {} is a {} run; only apply runs can be rolled back", run_id,
                                        jr.mode().empty() ? "unknown" : jr.mode()));
  }
  return jr;
}

/// Every state earlier rollbacks of the same run left each file in, and the undos they began.
void read_earlier_rollbacks(rollback_plan& plan, const std::filesystem::path& state_dir) {
  for (const auto& [path, f] : plan.run.files) plan.known[path] = f.known_sha256;
  for (const auto& summary : list_runs(state_dir)) {
    if (summary.mode != "rollback" || summary.rolls_back != plan.run.folder.id()) continue;
    try {
      const journaled_run earlier = load_journaled_run(run_folder{runs_dir(state_dir) / summary.id});
      if (!earlier.ended) plan.earlier_rollback_died = true;
      for (const auto& r : read_journal(earlier.folder.journal()).records) {
        if (r.value("type", "") == "undo_start") plan.started_by_earlier.insert(r.value("of_seq", std::int64_t{0}));
      }
      for (const auto& [path, f] : earlier.files) {
        if (plan.known.count(path) != 0) plan.known[path].insert(f.known_sha256.begin(), f.known_sha256.end());
      }
    } catch (const std::exception&) {
      // An unreadable earlier rollback only makes the foreign-change test stricter.
    }
  }
}

/// The steps of the run's password rotation (none when it rotated nothing).
std::set<std::string> rotation_steps_of(const journaled_run& run) {
  std::set<std::string> out;
  if (!run.rotation.is_object()) return out;
  for (const auto& s : run.rotation.value("steps", json::array())) {
    if (s.is_string()) out.insert(s.get<std::string>());
  }
  return out;
}

void select_pending(rollback_plan& plan) {
  const std::set<std::string> rotated = rotation_steps_of(plan.run);
  for (const auto& m : plan.run.mutations) {
    if (m.step == "engine") {
      if (core::restart_kind_of(m.method) && m.ok.value_or(true)) plan.restarts.push_back(&m);
      continue;
    }
    if (!plan.only.empty() && plan.only.count(m.step) == 0) continue;
    if (plan.state.undone_seqs.count(m.seq) != 0) continue;
    if (rotated.count(m.step) != 0 && core::rotation::carries_password(m.step, m.method)) {
      plan.rotation_kept.push_back(&m);
      continue;
    }
    plan.pending.push_back(&m);
  }
  if (!rotated.empty()) {
    plan.notices.push_back(fmt::format(
        "run {} rotated the service password: the new password stays on the user, the service's logon and the app "
        "pool ({} change(s) kept; the old password is not known, so a rotation cannot be rolled back). Every other "
        "change is undone",
        plan.run.folder.id(), plan.rotation_kept.size()));
  }
  for (const auto& [path, f] : plan.run.files) {
    if (plan.state.settled_files.count(path) != 0) continue;
    // A file a rotation step wrote holds the new password: putting its old bytes back would undo the
    // rotation (or half of it). Only the undo calls of the other changes run on it.
    if (std::any_of(f.steps.begin(), f.steps.end(), [&](const std::string& s) { return rotated.count(s) != 0; })) {
      plan.notices.push_back(fmt::format(
          "{}: holds the rotated password; its bytes are not restored from the backup, only the undo calls of the "
          "run's other changes ran on it",
          path));
      continue;
    }
    if (!file_selected(f, plan.only, plan.run.ended)) {
      plan.notices.push_back(
          fmt::format("{}: also changed by steps outside --only (or the run did not finish); its bytes are not "
                      "restored from the backup, only the selected steps' undo calls ran",
                      path));
      continue;
    }
    plan.pending_files.push_back(&f);
  }
}

}  // namespace

bool rollback_plan::has_work() const {
  return std::any_of(pending.begin(), pending.end(), [](const auto* m) { return !m->undo.empty(); }) ||
         !pending_files.empty();
}

void load_rollback_plan(rollback_plan& plan, const std::filesystem::path& state_dir, const std::string& run_id,
                        const std::vector<std::string>& only) {
  plan.run = load_apply_run(state_dir, run_id);
  plan.only = std::set<std::string>(only.begin(), only.end());
  for (const auto& step : plan.only) {
    if (plan.run.steps.count(step) == 0) {
      throw core::usage_error(
          fmt::format("rollback --only {}: run {} changed nothing in that step (steps it changed: {})", step, run_id,
                      plan.run.steps.empty() ? "none" : fmt::format("{}", fmt::join(plan.run.steps, ", "))));
    }
  }
  plan.state = rollback_state_of(state_dir, plan.run.folder);
  read_earlier_rollbacks(plan, state_dir);
  select_pending(plan);
}

}  // namespace smharden::journal
