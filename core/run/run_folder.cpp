#include "run/run_folder.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "base/atomic_file.hpp"
#include "base/errors.hpp"
#include "base/json_reader.hpp"
#include "run/journal_file.hpp"

namespace smharden::journal {

std::filesystem::path runs_dir(const std::filesystem::path& state_dir) { return state_dir / "runs"; }

rollback_state rollback_state::load(const run_folder& run) {
  rollback_state s;
  std::error_code ec;
  if (!std::filesystem::exists(run.rollback_state(), ec)) return s;
  json j;
  try {
    j = core::read_json_file(run.rollback_state(), core::json_read_options{core::own_json_limits});
  } catch (const core::error&) {
    j = json();  // refused below with what to do
  }
  if (!j.is_object()) {
    throw core::runtime_error(
        fmt::format("{}: not a JSON object; it records what earlier rollbacks undid. Delete it "
                    "to roll back everything again (undo calls are safe to replay)",
                    run.rollback_state().string()));
  }
  for (const auto& seq : j.value("undone_seqs", json::array())) {
    if (seq.is_number_integer()) s.undone_seqs.insert(seq.get<std::int64_t>());
  }
  for (const auto& f : j.value("settled_files", json::array())) {
    if (f.is_string()) s.settled_files.insert(f.get<std::string>());
  }
  s.history = j.value("history", json::array());
  s.complete = j.value("complete", false);
  return s;
}

void rollback_state::save(const run_folder& run) const {
  const json j = {
      {"undone_seqs", undone_seqs}, {"settled_files", settled_files}, {"history", history}, {"complete", complete}};
  util::write_file_atomic(run.rollback_state(), j.dump(2) + "\n");
}

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

run_summary summarize(const run_folder& run) {
  run_summary s;
  s.id = run.id();
  s.outcome = "incomplete";
  s.rolled_back = "n/a";
  journal_contents contents;
  try {
    contents = read_journal(run.journal());
  } catch (const std::exception& e) {
    s.problem = e.what();
    s.outcome = "unreadable";
    return s;
  }
  s.torn_tail = contents.torn_tail;
  bool has_undo = false;
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
      if (!r.value("undo", json::array()).empty()) has_undo = true;
    } else if (type == "run_end") {
      s.outcome = r.value("outcome", "ended");
      s.exit_code = r.value("exit_code", -1);
    } else if (type == "interrupt" && s.outcome == "incomplete") {
      s.outcome = "interrupted";
    }
  }
  if (s.mode == "apply") {
    rollback_state rb;
    try {
      rb = rollback_state::load(run);
    } catch (const std::exception& e) {
      s.problem = e.what();
    }
    if (rb.complete) {
      s.rolled_back = "yes";
    } else if (!rb.undone_seqs.empty() || !rb.settled_files.empty()) {
      s.rolled_back = "partly";
    } else {
      s.rolled_back = has_undo || s.mutations > 0 ? "no" : "n/a";
    }
  }
  return s;
}

}  // namespace

std::vector<run_summary> list_runs(const std::filesystem::path& state_dir) {
  std::vector<run_summary> out;
  const auto dir = runs_dir(state_dir);
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (!entry.is_directory()) continue;
    run_folder run{entry.path()};
    if (!std::filesystem::exists(run.journal(), ec)) continue;
    out.push_back(summarize(run));
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
