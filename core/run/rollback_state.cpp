#include "run/rollback_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/errors.hpp"
#include "base/json_reader.hpp"

namespace smharden::journal {
namespace {

/// What an older smharden recorded in runs/<id>/rollback.json.
void read_legacy_state(const run_folder& run, rollback_state& s) {
  std::error_code ec;
  if (!std::filesystem::exists(run.rollback_state(), ec)) return;
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
  for (const auto& h : j.value("history", json::array())) s.history.push_back(h);
}

/// One rollback run's part: what it undid and settled, and its line in the history.
void read_rollback(const journal_contents& rollback, rollback_state& s) {
  json row = json::object();
  for (const auto& r : rollback.records) {
    const std::string type = r.value("type", "");
    if (type == "run_start") {
      row = {{"rollback_run", r.value("run_id", "")},
             {"at", r.value("started_at", "")},
             {"only", r.value("only", json::array())},
             {"reason", r.value("reason", "")},
             {"complete", false}};
    } else if (type == "undone") {
      for (const auto& seq : r.value("of_seqs", json::array())) {
        if (seq.is_number_integer()) s.undone_seqs.insert(seq.get<std::int64_t>());
      }
    } else if (type == "file_settled") {
      if (r.contains("path") && r["path"].is_string()) s.settled_files.insert(r["path"].get<std::string>());
    } else if (type == "run_end") {
      row["complete"] = r.value("outcome", "") == "rolled_back";
      row["outcome"] = r.value("outcome", "");
    }
  }
  if (row.empty()) return;  // no run_start: not a rollback's journal
  if (!row.contains("outcome")) row["outcome"] = "incomplete";
  s.history.push_back(std::move(row));
}

}  // namespace

std::string rollback_state::label(std::size_t mutations) const {
  if (complete) return "yes";
  if (!undone_seqs.empty() || !settled_files.empty()) return "partly";
  return undoable > 0 || mutations > 0 ? "no" : "n/a";
}

rollback_state derive_rollback_state(const run_folder& apply, const journal_contents& apply_journal,
                                     const std::vector<const journal_contents*>& rollbacks) {
  rollback_state s;
  read_legacy_state(apply, s);
  for (const auto* r : rollbacks) read_rollback(*r, s);
  // What a rollback can undo: the run's changes with undo calls (a restart is redone, not undone)
  // and the files it backed up.
  std::set<std::int64_t> undoable;
  std::set<std::string> files;
  for (const auto& r : apply_journal.records) {
    const std::string type = r.value("type", "");
    if (type == "mutation" && r.value("step", "") != "engine" && !r.value("undo", json::array()).empty()) {
      undoable.insert(r.value("seq", std::int64_t{0}));
    } else if (type == "file_backup" && !r.value("path", std::string()).empty()) {
      files.insert(r.value("path", std::string()));
    }
  }
  s.undoable = undoable.size() + files.size();
  const bool all_undone =
      std::all_of(undoable.begin(), undoable.end(), [&](std::int64_t seq) { return s.undone_seqs.count(seq) != 0; });
  const bool all_settled =
      std::all_of(files.begin(), files.end(), [&](const std::string& p) { return s.settled_files.count(p) != 0; });
  s.complete = s.undoable > 0 && all_undone && all_settled;
  return s;
}

rollback_state rollback_state_of(const std::filesystem::path& state_dir, const run_folder& apply) {
  const journal_contents apply_journal = read_journal(apply.journal());
  std::vector<journal_contents> rollbacks;
  std::error_code ec;
  const auto dir = runs_dir(state_dir);
  if (std::filesystem::is_directory(dir, ec)) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      const run_folder other{entry.path()};
      if (other.id() == apply.id() || !std::filesystem::exists(other.journal(), ec)) continue;
      journal_contents contents;
      try {
        contents = read_journal(other.journal());
      } catch (const std::exception&) {
        continue;  // another run's damaged journal: `smharden history` names it
      }
      if (contents.records.empty()) continue;
      const json& start = contents.records.front();
      if (start.value("type", "") == "run_start" && start.value("mode", "") == "rollback" &&
          start.value("rolls_back", "") == apply.id()) {
        rollbacks.push_back(std::move(contents));
      }
    }
  }
  // Oldest first, as the history reads.
  std::sort(rollbacks.begin(), rollbacks.end(), [](const journal_contents& a, const journal_contents& b) {
    return a.records.front().value("started_ns", std::int64_t{0}) <
           b.records.front().value("started_ns", std::int64_t{0});
  });
  std::vector<const journal_contents*> pointers;
  for (const auto& r : rollbacks) pointers.push_back(&r);
  return derive_rollback_state(apply, apply_journal, pointers);
}

}  // namespace smharden::journal
