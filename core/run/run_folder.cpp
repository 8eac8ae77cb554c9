#include "run/run_folder.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/errors.hpp"
#include "run/journal_file.hpp"
#include "run/rollback_state.hpp"

namespace smharden::journal {

std::filesystem::path runs_dir(const std::filesystem::path& state_dir) { return state_dir / "runs"; }

json run_summary::to_json() const {
  json j = {{"id", id},
            {"mode", mode},
            {"profile", profile},
            {"target", target},
            {"started_at", started_at},
            {"outcome", outcome},
            {"exit_code", exit_code < 0 ? json(nullptr) : json(exit_code)},
            {"mutations", mutations},
            {"rolled_back", rolled_back}};
  if (!rolls_back.empty()) j["rolls_back"] = rolls_back;
  if (torn_tail) j["torn_tail"] = true;
  if (!problem.empty()) j["problem"] = problem;
  return j;
}

namespace {

/// One run's line without its "rolled back" (that needs the other runs' journals).
run_summary summarize(const run_folder& run, journal_contents& contents) {
  run_summary s;
  s.id = run.id();
  s.outcome = "incomplete";
  s.rolled_back = "n/a";
  try {
    contents = read_journal(run.journal());
  } catch (const std::exception& e) {
    s.problem = e.what();
    s.outcome = "unreadable";
    return s;
  }
  s.torn_tail = contents.torn_tail;
  for (const auto& r : contents.records) {
    const std::string type = r.value("type", "");
    if (type == "run_start") {
      s.mode = r.value("mode", "");
      s.profile = r.value("profile", "");
      s.target = r.value("target", "");
      s.started_at = r.value("started_at", r.value("at", ""));
      s.started_ns = r.value("started_ns", std::int64_t{0});
      s.rolls_back = r.value("rolls_back", "");
    } else if (type == "mutation") {
      ++s.mutations;
    } else if (type == "run_end") {
      s.outcome = r.value("outcome", "ended");
      s.exit_code = r.value("exit_code", -1);
    } else if (type == "interrupt" && s.outcome == "incomplete") {
      s.outcome = "interrupted";
    }
  }
  return s;
}

}  // namespace

std::vector<run_summary> list_runs(const std::filesystem::path& state_dir) {
  std::vector<run_summary> out;
  std::vector<journal_contents> journals;
  const auto dir = runs_dir(state_dir);
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_directory()) continue;
    run_folder run{entry.path()};
    if (!std::filesystem::exists(run.journal(), ec)) continue;
    journals.emplace_back();
    out.push_back(summarize(run, journals.back()));
  }
  // Each apply run's "rolled back", from the journals of the rollbacks that name it.
  std::map<std::string, std::vector<const journal_contents*>> rollbacks_of;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i].mode == "rollback" && !out[i].rolls_back.empty())
      rollbacks_of[out[i].rolls_back].push_back(&journals[i]);
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i].mode != "apply") continue;
    auto& rollbacks = rollbacks_of[out[i].id];
    std::sort(rollbacks.begin(), rollbacks.end(), [](const journal_contents* a, const journal_contents* b) {
      return a->records.front().value("started_ns", std::int64_t{0}) <
             b->records.front().value("started_ns", std::int64_t{0});
    });
    try {
      out[i].rolled_back =
          derive_rollback_state(run_folder{dir / out[i].id}, journals[i], rollbacks).label(out[i].mutations);
    } catch (const std::exception& e) {
      out[i].problem = e.what();
      out[i].rolled_back = "no";
    }
  }
  std::sort(out.begin(), out.end(), [](const run_summary& a, const run_summary& b) {
    if (a.started_ns != b.started_ns) return a.started_ns < b.started_ns;
    return a.id < b.id;
  });
  return out;
}

std::optional<run_summary> last_apply_run(const std::filesystem::path& state_dir) {
  const auto runs = list_runs(state_dir);
  for (auto it = runs.rbegin(); it != runs.rend(); ++it) {
    // An apply that changed nothing (a re-apply of a compliant server), or whose changes are all
    // undone, has nothing to undo: the operator means the last one that has. A journal that cannot be
    // read counts as a change. A partly rolled back run (an interrupted rollback) is picked again.
    if (it->mode != "apply" || it->rolled_back == "yes") continue;
    if (it->mutations > 0 || !it->problem.empty()) return *it;
  }
  return std::nullopt;
}

}  // namespace smharden::journal
