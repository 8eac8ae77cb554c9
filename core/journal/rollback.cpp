#include "journal/rollback.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "engine/state_dir.hpp"
#include "errors.hpp"
#include "journal/journal_file.hpp"
#include "journal/journal_observer.hpp"
#include "journal/journaled_run.hpp"
#include "services/service.hpp"
#include "util/atomic_file.hpp"

namespace smharden::journal {
namespace {

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool is_restart(const std::string& method) {
  return method == "windows.service.restart" || method == "iis.app_pool.recycle";
}

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

/// Files whose bytes the rollback may put back: every step that changed them is being undone.
bool file_selected(const journaled_file& f, const std::set<std::string>& only, bool run_ended) {
  if (only.empty()) return true;
  if (!run_ended) return false;  // a step killed mid-way may have changed it without a file_state record
  // The engine's restarts are not a step and change no setting.
  return std::all_of(f.steps.begin(), f.steps.end(),
                     [&](const std::string& s) { return s == "engine" || only.count(s) != 0; });
}

}  // namespace

std::size_t remove_stale_temp_files(const std::filesystem::path& file) {
  std::size_t removed = 0;
  std::error_code ec;
  const auto dir = file.parent_path();
  if (!std::filesystem::is_directory(dir, ec)) return 0;
  const std::string prefix = "." + file.filename().string() + ".smharden-";
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0) {
      if (std::filesystem::remove(entry.path(), ec)) ++removed;
    }
  }
  return removed;
}

rollback_runner::rollback_runner(core::secret_store& secrets, const core::redactor& redact, core::audit_log& log)
    : secrets_(secrets), redact_(redact), log_(log) {}

rollback_result rollback_runner::run(const rollback_request& request, const std::filesystem::path& state_dir,
                                     const std::atomic<bool>& cancel) {
  const run_folder undone_run{runs_dir(state_dir) / request.run_id};
  std::error_code ec;
  if (request.run_id.empty() || !std::filesystem::exists(undone_run.journal(), ec)) {
    throw core::usage_error(
        fmt::format("rollback: no run \"{}\" with a journal in {}; `smharden history` lists the "
                    "runs",
                    request.run_id, runs_dir(state_dir).string()));
  }
  const journaled_run jr = load_journaled_run(undone_run);
  if (jr.mode() != "apply") {
    throw core::usage_error(fmt::format("rollback: run {} is a {} run; only apply runs can be rolled back",
                                        request.run_id, jr.mode().empty() ? "unknown" : jr.mode()));
  }
  const std::set<std::string> only(request.only.begin(), request.only.end());
  for (const auto& step : only) {
    if (jr.steps.count(step) == 0) {
      throw core::usage_error(
          fmt::format("rollback --only {}: run {} changed nothing in that step (steps it changed: "
                      "{})",
                      step, request.run_id, jr.steps.empty() ? "none" : join({jr.steps.begin(), jr.steps.end()})));
    }
  }
  rollback_state state = rollback_state::load(undone_run);
  // Every state this run or an earlier (perhaps interrupted) rollback of it left each file in.
  std::map<std::string, std::set<std::string>> known_sha;
  bool earlier_rollback_died = false;         // its last writes may be unrecorded: trust the backups
  std::set<std::int64_t> started_by_earlier;  // undos an earlier (interrupted) rollback began
  for (const auto& [path, f] : jr.files) known_sha[path] = f.known_sha256;
  for (const auto& summary : list_runs(state_dir)) {
    if (summary.mode != "rollback" || summary.rolls_back != request.run_id) continue;
    try {
      const journaled_run earlier = load_journaled_run(run_folder{runs_dir(state_dir) / summary.id});
      if (!earlier.ended) earlier_rollback_died = true;
      for (const auto& r : read_journal(earlier.folder.journal()).records) {
        if (r.value("type", "") == "undo_start") started_by_earlier.insert(r.value("of_seq", std::int64_t{0}));
      }
      for (const auto& [path, f] : earlier.files) {
        if (known_sha.count(path) != 0) known_sha[path].insert(f.known_sha256.begin(), f.known_sha256.end());
      }
    } catch (const std::exception&) {
      // An unreadable earlier rollback only makes the foreign-change test stricter.
    }
  }

  // What is left to undo.
  std::vector<const journaled_mutation*> pending;
  std::vector<const journaled_mutation*> restarts_done;
  for (const auto& m : jr.mutations) {
    if (m.step == "engine") {
      if (is_restart(m.method) && m.ok.value_or(true)) restarts_done.push_back(&m);
      continue;
    }
    if (!only.empty() && only.count(m.step) == 0) continue;
    if (state.undone_seqs.count(m.seq) != 0) continue;
    pending.push_back(&m);
  }
  std::vector<const journaled_file*> pending_files;
  std::vector<std::string> notices;
  for (const auto& [path, f] : jr.files) {
    if (state.settled_files.count(path) != 0) continue;
    if (!file_selected(f, only, jr.ended)) {
      notices.push_back(
          fmt::format("{}: also changed by steps outside --only (or the run did not finish); its bytes "
                      "are not restored from the backup, only the selected steps' undo calls ran",
                      path));
      continue;
    }
    pending_files.push_back(&f);
  }
  const bool work = std::any_of(pending.begin(), pending.end(), [](const auto* m) { return !m->undo.empty(); }) ||
                    !pending_files.empty();

  rollback_result result;
  json report = {{"mode", "rollback"},       {"rolls_back", request.run_id}, {"only", request.only},
                 {"reason", request.reason}, {"undone", json::array()},      {"failed", json::array()},
                 {"files", json::array()},   {"restarts", json::array()}};
  if (!work) {
    result.nothing_to_do = true;
    result.complete = true;
    std::string message;
    if (!state.history.empty()) {
      const json& last = state.history.back();
      message = fmt::format("nothing to do: run {} was rolled back already (by run {} at {})", request.run_id,
                            last.value("rollback_run", "?"), last.value("at", "?"));
    } else {
      message = fmt::format("nothing to do: run {} changed nothing that can be undone{}", request.run_id,
                            only.empty() ? "" : " in the selected steps");
    }
    notices.push_back(message);
    // Changes without undo calls (nothing to restore) count as undone.
    bool changed_state = false;
    for (const auto* m : pending) changed_state |= state.undone_seqs.insert(m->seq).second;
    if (changed_state) state.save(undone_run);
    report["run_id"] = nullptr;
    report["target"] = jr.start.value("target", "");
    report["notices"] = notices;
    report["complete"] = true;
    report["nothing_to_do"] = true;
    report["run_rolled_back"] = state.complete ? "yes" : (state.history.empty() ? "no" : "partly");
    report["exit_code"] = 0;
    result.report = std::move(report);
    return result;
  }

  const std::string spec = request.target_spec.empty() ? jr.start.value("target_spec", "") : request.target_spec;
  if (spec.empty()) {
    throw core::runtime_error(
        fmt::format("{}: the journal names no target; pass --target", jr.folder.journal().string()));
  }
  const services::target target = services::parse_target(spec);

  const std::string rollback_id = core::new_run_id();
  result.rollback_run_id = rollback_id;
  journal_observer obs(run_folder{runs_dir(state_dir) / rollback_id}, redact_, "rollback");
  obs.record("run_start", {{"mode", "rollback"},
                           {"format", 1},
                           {"run_id", rollback_id},
                           {"rolls_back", request.run_id},
                           {"only", request.only},
                           {"reason", request.reason},
                           {"profile", jr.start.value("profile", "")},
                           {"target", target.describe()},
                           {"target_spec", spec},
                           {"started_at", core::utc_now_iso()},
                           {"started_ns", now_ns()}});
  log_.write(SMH_LOG_INFO, fmt::format("rollback {} of run {} ({}), target={}", rollback_id, request.run_id,
                                       request.reason, target.describe()));

  std::string current_step = "rollback";
  services::service_env env;
  env.run_dir = obs.folder().dir;
  env.state_dir = state_dir;
  env.secret = [this](const std::string& name) { return secrets_.get(name); };
  env.log = [this](const std::string& line) { log_.write(SMH_LOG_INFO, line); };
  env.before_file_write = [&](const std::filesystem::path& file) { obs.before_file_write(current_step, file); };

  // Files changed by someone else after the run keep their bytes (only undo calls touch them).
  std::map<std::string, std::string> sha_before_rollback;
  for (const auto* f : pending_files) {
    try {
      sha_before_rollback[f->path] = file_sha256(f->path);
    } catch (const std::exception&) {
      sha_before_rollback[f->path] = "?";
    }
  }

  std::set<std::int64_t> undone_now;
  bool any_failure = false;
  bool interrupted = false;
  auto fail = [&](const journaled_mutation& m, const std::string& why) {
    any_failure = true;
    report["failed"].push_back({{"seq", m.seq},
                                {"step", m.step},
                                {"method", m.method},
                                {"description", m.description},
                                {"error", redact_.apply(why)}});
    log_.write(SMH_LOG_WARN, fmt::format("rollback: seq {} ({} {}) not undone: {}", m.seq, m.step, m.method, why));
  };

  {
    services::service_list list = services::make_services(target, env);
    services::registry methods;
    for (auto& s : list) s->register_methods(methods);

    // Newest first, one group per run of consecutive records of the same step.
    std::vector<const journaled_mutation*> order(pending.rbegin(), pending.rend());
    std::size_t i = 0;
    while (i < order.size()) {
      if (cancel.load()) {
        interrupted = true;
        obs.record("interrupt", {{"after_seq", obs.mutations()}});
        notices.emplace_back("the rollback was interrupted; run it again to finish (it is safe to repeat)");
        break;
      }
      const std::string step = order[i]->step;
      current_step = step;
      std::vector<std::int64_t> group_ok;
      bool group_failed = false;
      for (; i < order.size() && order[i]->step == step; ++i) {
        const journaled_mutation& m = *order[i];
        if (m.undo.empty()) {
          group_ok.push_back(m.seq);
          continue;
        }
        if (m.undo_redacted) {
          fail(m, "its undo calls held secret-looking values that the journal masks; undo this change by hand: " +
                      m.description);
          group_failed = true;
          continue;
        }
        std::vector<std::string> missing;
        for (const auto& name : m.needs_secrets) {
          if (!secrets_.get(name)) missing.push_back(name);
        }
        if (!missing.empty()) {
          std::vector<std::string> how;
          how.reserve(missing.size());
          for (const auto& name : missing) {
            how.push_back(fmt::format("--secret-file {}=PATH or {}", name, core::secret_store::env_name(name)));
          }
          fail(m, fmt::format("needs the secret(s) {} (the previous value cannot be read back); supply {} and run "
                              "rollback again",
                              join(missing), join(how, " / ")));
          group_failed = true;
          continue;
        }
        obs.record("undo_start",
                   {{"of_run", request.run_id}, {"of_seq", m.seq}, {"step", m.step}, {"method", m.method}});
        bool ok = true;
        for (const auto& call : m.undo) {
          const std::string method = call.value("method", "");
          const json params = call.value("params", json::object());
          const services::method* target_method = methods.find(method);
          try {
            if (target_method == nullptr) {
              throw services::service_error("not_found", fmt::format("no service method {} on this target", method));
            }
            services::undo_record again;
            if (target_method->undo) again = target_method->undo(params);
            obs.before_mutation(step, method, params, again);
            try {
              target_method->invoke(params);
            } catch (...) {
              obs.after_mutation(step, method, false);
              throw;
            }
            obs.after_mutation(step, method, true);
          } catch (const services::service_error& e) {
            // The run died during the call (or the call failed): what the undo
            // would remove or change may never have existed. Nothing to undo.
            // Or an earlier rollback, killed before it recorded it, undid it already.
            if (e.code() == "not_found" && target_method != nullptr &&
                (m.ok != std::optional<bool>(true) || started_by_earlier.count(m.seq) != 0)) {
              obs.record("undo_note",
                         {{"of_seq", m.seq},
                          {"method", method},
                          {"note", "not found: the change had not happened, or an earlier rollback undid it"}});
              continue;
            }
            fail(m, fmt::format("{}: {}", method, e.what()));
            ok = false;
            break;
          } catch (const std::exception& e) {
            fail(m, fmt::format("{}: {}", method, e.what()));
            ok = false;
            break;
          }
        }
        obs.record("undo_done", {{"of_seq", m.seq}, {"ok", ok}});
        if (ok) {
          group_ok.push_back(m.seq);
        } else {
          group_failed = true;
        }
      }
      // In-memory documents (applicationHost.config) are written here.
      try {
        for (auto& s : list) s->commit_step();
      } catch (const std::exception& e) {
        for (auto& s : list) s->discard_step();
        any_failure = true;
        group_failed = true;
        report["failed"].push_back(
            {{"step", step}, {"error", redact_.apply(fmt::format("could not save the undone state: {}", e.what()))}});
        group_ok.clear();
      }
      for (const auto seq : group_ok) {
        undone_now.insert(seq);
        const auto it = std::find_if(jr.mutations.begin(), jr.mutations.end(),
                                     [seq](const journaled_mutation& m) { return m.seq == seq; });
        if (it != jr.mutations.end()) {
          report["undone"].push_back(
              {{"seq", seq}, {"step", it->step}, {"method", it->method}, {"description", it->description}});
        }
      }
      obs.step_finished(step, group_failed ? "rollback_failed" : "rolled_back");
    }
    for (auto& s : list) s->end_run();
  }

  // Files: byte identity with the backup taken before the run first changed them.
  std::set<std::string> settled_now;
  if (!interrupted) {
    current_step = "files";
    for (const auto* f : pending_files) {
      json row = {{"path", f->path}};
      try {
        const std::string now = file_sha256(f->path);
        const std::string before = sha_before_rollback[f->path];
        const bool foreign =
            jr.ended && !earlier_rollback_died && known_sha[f->path].count(before) == 0 && before != "?";
        if (!f->existed) {
          if (now.empty()) {
            row["outcome"] = "absent, as before the run";
          } else if (foreign) {
            row["outcome"] =
                "kept: created by the run but changed since by something else; delete it by hand if unwanted";
            notices.push_back(fmt::format("{}: {}", f->path, row["outcome"].get<std::string>()));
          } else {
            obs.before_file_write(current_step, f->path);
            std::filesystem::remove(f->path);
            row["outcome"] = "removed (the run created it)";
          }
        } else if (now == f->sha256_before) {
          row["outcome"] = "identical to the backup";
        } else if (foreign) {
          row["outcome"] =
              "kept: changed by something else since the run; only the undo calls were applied (compare with the "
              "backup " +
              (undone_run.dir / f->backup).string() + ")";
          notices.push_back(fmt::format("{}: {}", f->path, row["outcome"].get<std::string>()));
        } else {
          const auto backup_file = undone_run.dir / f->backup;
          const std::string bytes = util::read_file(backup_file);
          if (util::sha256_hex(bytes) != f->sha256_before) {
            throw core::runtime_error(
                fmt::format("the backup {} does not match the sha256 journaled for it; it was "
                            "damaged, the file is left as it is",
                            backup_file.string()));
          }
          obs.before_file_write(current_step, f->path);
          util::write_file_atomic(f->path, bytes);
          row["outcome"] = "restored from the backup";
        }
        const std::size_t stale = remove_stale_temp_files(f->path);
        if (stale > 0) row["removed_temp_files"] = stale;
        settled_now.insert(f->path);
      } catch (const std::exception& e) {
        any_failure = true;
        row["outcome"] = "failed";
        row["error"] = redact_.apply(e.what());
      }
      report["files"].push_back(row);
    }
    if (!pending_files.empty()) obs.step_finished(current_step, "restored");
  }

  // The undone settings take effect only after the restarts the run did.
  std::set<std::pair<std::string, std::string>> seen;
  const bool changed = !undone_now.empty() || !settled_now.empty();
  if (changed && !restarts_done.empty()) {
    std::unique_ptr<services::service_list> list;
    services::registry methods;
    current_step = "engine";
    for (const auto* m : restarts_done) {
      const std::string name = m->params.value("name", "");
      const std::string kind = m->method == "windows.service.restart" ? "service" : "app_pool";
      if (!seen.emplace(kind, name).second) continue;
      json row = {{"kind", kind}, {"name", name}};
      if (!request.restart) {
        row["status"] = "pending";
        row["message"] = "--no-restart: restart it yourself for the restored settings to take effect";
      } else if (interrupted) {
        row["status"] = "pending";
        row["message"] = "rollback interrupted before restarts";
      } else {
        try {
          if (!list) {
            list = std::make_unique<services::service_list>(services::make_services(target, env));
            for (auto& s : *list) s->register_methods(methods);
          }
          const services::method* method = methods.find(m->method);
          if (method == nullptr) throw services::service_error("not_found", "no " + m->method + " on this target");
          const json params = {{"name", name}};
          obs.before_mutation("engine", m->method, params,
                              method->undo ? method->undo(params) : services::undo_record{});
          try {
            method->invoke(params);
          } catch (...) {
            obs.after_mutation("engine", m->method, false);
            throw;
          }
          obs.after_mutation("engine", m->method, true);
          row["status"] = "done";
        } catch (const std::exception& e) {
          any_failure = true;
          row["status"] = "failed";
          row["message"] = redact_.apply(e.what());
        }
      }
      report["restarts"].push_back(row);
    }
    if (list) {
      for (auto& s : *list) s->end_run();
    }
    obs.note_file_changes("engine");
  }

  // Record what is undone in the undone run's folder.
  state.undone_seqs.insert(undone_now.begin(), undone_now.end());
  state.settled_files.insert(settled_now.begin(), settled_now.end());
  bool selection_complete = !any_failure && !interrupted;
  bool run_complete = true;
  for (const auto& m : jr.mutations) {
    if (m.step == "engine") continue;
    if (state.undone_seqs.count(m.seq) == 0) run_complete = false;
  }
  for (const auto& [path, f] : jr.files) {
    if (state.settled_files.count(path) == 0) run_complete = false;
  }
  state.complete = run_complete;
  state.history.push_back({{"rollback_run", rollback_id},
                           {"at", core::utc_now_iso()},
                           {"only", request.only},
                           {"reason", request.reason},
                           {"complete", selection_complete}});
  state.save(undone_run);

  result.complete = selection_complete;
  result.exit_code = selection_complete ? 0 : static_cast<int>(core::exit_code::apply_failed);
  report["run_id"] = rollback_id;
  report["target"] = target.describe();
  report["notices"] = notices;
  report["complete"] = selection_complete;
  report["nothing_to_do"] = false;
  report["run_rolled_back"] = state.complete ? "yes" : "partly";
  report["exit_code"] = result.exit_code;
  obs.record("run_end", {{"outcome", interrupted          ? "interrupted"
                                     : selection_complete ? "rolled_back"
                                                          : "incomplete"},
                         {"exit_code", result.exit_code},
                         {"finished_at", core::utc_now_iso()}});
  util::write_file_atomic(obs.folder().report(), report.dump(2) + "\n");
  result.report = std::move(report);
  return result;
}

}  // namespace smharden::journal
