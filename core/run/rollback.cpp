#include "run/rollback.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>

#include "base/atomic_file.hpp"
#include "base/errors.hpp"
#include "run/journal_observer.hpp"
#include "run/mutation_gate.hpp"
#include "run/restart_table.hpp"
#include "run/restarts.hpp"
#include "run/rollback_plan.hpp"
#include "run/run_lock.hpp"
#include "run/target_session.hpp"
#include "runtime/state_dir.hpp"

namespace smharden::journal {
namespace {

using core::target_session;

rollback_result nothing_to_do(rollback_plan& plan, const rollback_request& request, json report) {
  rollback_result result;
  result.nothing_to_do = true;
  result.complete = true;
  const rollback_state& state = plan.state;
  if (!state.history.empty()) {
    const json& last = state.history.back();
    plan.notices.push_back(fmt::format("nothing to do: run {} was rolled back already (by run {} at {})",
                                       request.run_id, last.value("rollback_run", "?"), last.value("at", "?")));
  } else {
    plan.notices.push_back(fmt::format("nothing to do: run {} changed nothing that can be undone{}", request.run_id,
                                       plan.only.empty() ? "" : " in the selected steps"));
  }
  report["run_id"] = nullptr;
  report["target"] = plan.run.start.value("target", "");
  report["notices"] = plan.notices;
  report["complete"] = true;
  report["nothing_to_do"] = true;
  report["run_rolled_back"] = plan.state.label(plan.run.mutations.size());
  report["exit_code"] = 0;
  result.report = std::move(report);
  return result;
}

/// One rollback that has work to do, from its run_start to its run_end.
class rollback_execution {
 public:
  rollback_execution(core::run_context& ctx, const rollback_request& request, rollback_plan& plan, json report,
                     const services::target& target, std::string spec, std::string id)
      : ctx_(ctx),
        request_(request),
        plan_(plan),
        report_(std::move(report)),
        target_(target),
        spec_(std::move(spec)),
        id_(std::move(id)),
        obs_(run_folder{runs_dir(ctx.state_dir) / id_}, ctx.redact, "rollback"),
        gate_(&obs_) {
    obs_.audit_to(&ctx.log);
  }

  rollback_result run();

 private:
  services::service_env make_env();
  void replay();
  bool replay_group(target_session& session, const std::vector<const journaled_mutation*>& order, std::size_t& i);
  bool replay_one(const services::registry& methods, const journaled_mutation& m);
  bool replay_call(const services::registry& methods, const journaled_mutation& m, const json& call);
  void fail(const journaled_mutation& m, const std::string& why);
  void restore_files();
  json restore_file(const journaled_file& f);
  void restart();
  rollback_result finish();

  core::run_context& ctx_;
  const rollback_request& request_;
  rollback_plan& plan_;
  json report_;
  const services::target& target_;
  std::string spec_;
  std::string id_;
  journal_observer obs_;
  core::mutation_gate gate_;
  std::string current_step_ = "rollback";
  std::map<std::string, std::string> sha_before_rollback_;
  std::set<std::int64_t> undone_now_;
  std::set<std::string> settled_now_;
  bool any_failure_ = false;
  bool interrupted_ = false;
};

services::service_env rollback_execution::make_env() {
  services::service_env env = core::session_env(ctx_.secrets, ctx_.redact, ctx_.log, ctx_.state_dir, obs_.folder().dir);
  core::journal_writes(env, &obs_, current_step_);
  return env;
}

rollback_result rollback_execution::run() {
  obs_.record("run_start", {{"mode", "rollback"},
                            {"format", 1},
                            {"run_id", id_},
                            {"rolls_back", request_.run_id},
                            {"only", request_.only},
                            {"reason", request_.reason},
                            {"profile", plan_.run.start.value("profile", "")},
                            {"target", target_.describe()},
                            {"target_spec", spec_},
                            {"started_at", core::utc_now_iso()},
                            {"started_ns", core::now_ns()}});
  ctx_.log.write(SMH_LOG_INFO, fmt::format("rollback {} of run {} ({}), target={}", id_, request_.run_id,
                                           request_.reason, target_.describe()));
  // Files changed by someone else after the run keep their bytes (only undo calls touch them).
  for (const auto* f : plan_.pending_files) {
    try {
      sha_before_rollback_[f->path] = file_sha256(f->path);
    } catch (const std::exception&) {
      sha_before_rollback_[f->path] = "?";
    }
  }
  replay();
  if (!interrupted_) restore_files();
  restart();
  return finish();
}

void rollback_execution::fail(const journaled_mutation& m, const std::string& why) {
  any_failure_ = true;
  report_["failed"].push_back({{"seq", m.seq},
                               {"step", m.step},
                               {"method", m.method},
                               {"description", m.description},
                               {"error", ctx_.redact.apply(why)}});
  ctx_.log.write(SMH_LOG_WARN, fmt::format("rollback: seq {} ({} {}) not undone: {}", m.seq, m.step, m.method, why));
}

// Newest first, one group per run of consecutive records of the same step.
void rollback_execution::replay() {
  target_session session(target_, make_env());
  const std::vector<const journaled_mutation*> order(plan_.pending.rbegin(), plan_.pending.rend());
  std::size_t i = 0;
  while (i < order.size()) {
    if (ctx_.cancel.load()) {
      interrupted_ = true;
      obs_.record("interrupt", {{"after_seq", obs_.mutations()}});
      plan_.notices.emplace_back("the rollback was interrupted; run it again to finish (it is safe to repeat)");
      break;
    }
    replay_group(session, order, i);
  }
}

bool rollback_execution::replay_group(target_session& session, const std::vector<const journaled_mutation*>& order,
                                      std::size_t& i) {
  const std::string step = order[i]->step;
  current_step_ = step;
  std::vector<std::int64_t> group_ok;
  bool group_failed = false;
  for (; i < order.size() && order[i]->step == step; ++i) {
    if (replay_one(session.methods(), *order[i])) {
      group_ok.push_back(order[i]->seq);
    } else {
      group_failed = true;
    }
  }
  // In-memory documents (applicationHost.config) are written here.
  try {
    session.commit_step();
  } catch (const std::exception& e) {
    session.discard_step();
    any_failure_ = true;
    group_failed = true;
    report_["failed"].push_back(
        {{"step", step}, {"error", ctx_.redact.apply(fmt::format("could not save the undone state: {}", e.what()))}});
    group_ok.clear();
  }
  // What history and later rollbacks read: these changes are undone (rollback_state.hpp).
  if (!group_ok.empty()) obs_.record("undone", {{"step", step}, {"of_seqs", group_ok}});
  for (const auto seq : group_ok) {
    undone_now_.insert(seq);
    const auto it = std::find_if(plan_.run.mutations.begin(), plan_.run.mutations.end(),
                                 [seq](const journaled_mutation& m) { return m.seq == seq; });
    if (it != plan_.run.mutations.end()) {
      report_["undone"].push_back(
          {{"seq", seq}, {"step", it->step}, {"method", it->method}, {"description", it->description}});
    }
  }
  obs_.step_finished(step, group_failed ? "rollback_failed" : "rolled_back");
  return !group_failed;
}

bool rollback_execution::replay_one(const services::registry& methods, const journaled_mutation& m) {
  if (m.undo.empty()) return true;
  if (m.undo_redacted) {
    fail(m, "its undo calls held secret-looking values that the journal masks; undo this change by hand: " +
                m.description);
    return false;
  }
  std::vector<std::string> missing;
  for (const auto& name : m.needs_secrets) {
    if (!ctx_.secrets.get(name)) missing.push_back(name);
  }
  if (!missing.empty()) {
    std::vector<std::string> how;
    how.reserve(missing.size());
    for (const auto& name : missing) {
      how.push_back(fmt::format("--secret-file {}=PATH or {}", name, core::secret_store::env_name(name)));
    }
    fail(m, fmt::format("needs the secret(s) {} (the previous value cannot be read back); supply {} and run "
                        "rollback again",
                        fmt::join(missing, ", "), fmt::join(how, " / ")));
    return false;
  }
  obs_.record("undo_start", {{"of_run", request_.run_id}, {"of_seq", m.seq}, {"step", m.step}, {"method", m.method}});
  bool ok = true;
  for (const auto& call : m.undo) {
    if (!replay_call(methods, m, call)) {
      ok = false;
      break;
    }
  }
  obs_.record("undo_done", {{"of_seq", m.seq}, {"ok", ok}});
  return ok;
}

bool rollback_execution::replay_call(const services::registry& methods, const journaled_mutation& m, const json& call) {
  const std::string method = call.value("method", "");
  const json params = call.value("params", json::object());
  const services::method* target_method = methods.find(method);
  try {
    if (target_method == nullptr) {
      throw services::service_error("not_found", fmt::format("no service method {} on this target", method));
    }
    gate_.call(m.step, *target_method, params);
    return true;
  } catch (const services::service_error& e) {
    // The run died during the call (or the call failed): what the undo would remove or change may
    // never have existed. Or an earlier rollback, killed before it recorded it, undid it already.
    if (e.code() == "not_found" && target_method != nullptr &&
        (m.ok != std::optional<bool>(true) || plan_.started_by_earlier.count(m.seq) != 0)) {
      obs_.record("undo_note", {{"of_seq", m.seq},
                                {"method", method},
                                {"note", "not found: the change had not happened, or an earlier rollback undid it"}});
      return true;
    }
    fail(m, fmt::format("{}: {}", method, e.what()));
  } catch (const std::exception& e) {
    fail(m, fmt::format("{}: {}", method, e.what()));
  }
  return false;
}

// Files: byte identity with the backup taken before the run first changed them.
void rollback_execution::restore_files() {
  current_step_ = "files";
  for (const auto* f : plan_.pending_files) {
    json row = {{"path", f->path}};
    try {
      row.update(restore_file(*f));
      const std::size_t stale = remove_stale_temp_files(f->path);
      if (stale > 0) row["removed_temp_files"] = stale;
      obs_.record("file_settled", {{"path", f->path}, {"outcome", row["outcome"]}});
      settled_now_.insert(f->path);
    } catch (const std::exception& e) {
      any_failure_ = true;
      row["outcome"] = "failed";
      row["error"] = ctx_.redact.apply(e.what());
    }
    report_["files"].push_back(row);
  }
  if (!plan_.pending_files.empty()) obs_.step_finished(current_step_, "restored");
}

json rollback_execution::restore_file(const journaled_file& f) {
  const std::string now = file_sha256(f.path);
  const std::string before = sha_before_rollback_[f.path];
  const bool foreign =
      plan_.run.ended && !plan_.earlier_rollback_died && plan_.known[f.path].count(before) == 0 && before != "?";
  auto kept = [&](const std::string& outcome) {
    plan_.notices.push_back(fmt::format("{}: {}", f.path, outcome));
    return json{{"outcome", outcome}};
  };
  if (!f.existed) {
    if (now.empty()) return {{"outcome", "absent, as before the run"}};
    if (foreign)
      return kept("kept: created by the run but changed since by something else; delete it by hand if unwanted");
    obs_.before_file_write(current_step_, f.path);
    std::filesystem::remove(f.path);
    obs_.file_written(current_step_, f.path, std::nullopt);
    return {{"outcome", "removed (the run created it)"}};
  }
  if (now == f.sha256_before) return {{"outcome", "identical to the backup"}};
  if (foreign) {
    return kept(
        "kept: changed by something else since the run; only the undo calls were applied (compare with the "
        "backup " +
        (plan_.run.folder.dir / f.backup).string() + ")");
  }
  const auto backup_file = plan_.run.folder.dir / f.backup;
  const std::string bytes = util::read_file(backup_file);
  if (util::sha256_hex(bytes) != f.sha256_before) {
    throw core::runtime_error(fmt::format(
        "the backup {} does not match the sha256 journaled for it; it was damaged, the file is left as it is",
        backup_file.string()));
  }
  obs_.before_file_write(current_step_, f.path);
  util::write_file_atomic(f.path, bytes);
  obs_.file_written(current_step_, f.path, f.sha256_before);
  return {{"outcome", "restored from the backup"}};
}

// The undone settings take effect only after the restarts the run did.
void rollback_execution::restart() {
  const bool changed = !undone_now_.empty() || !settled_now_.empty();
  if (!changed || plan_.restarts.empty()) return;
  current_step_ = "engine";
  std::vector<core::restart_request> requests;
  for (const auto* m : plan_.restarts) {
    requests.push_back({std::string(*core::restart_kind_of(m->method)), m->params.value("name", ""), "engine"});
  }
  core::restart_settings settings;
  settings.no_restart = !request_.restart;
  settings.what = "the restored settings";
  settings.run_kind = "rollback";
  const std::atomic<bool> stopped{interrupted_};
  settings.cancel = &stopped;
  std::unique_ptr<target_session> session;  // built only when a restart runs
  const auto methods = [&]() -> const services::registry& {
    if (!session) session = std::make_unique<target_session>(target_, make_env());
    return session->methods();
  };
  for (const auto& r : core::perform_restarts(requests, methods, gate_, settings, ctx_.redact, ctx_.log)) {
    json row = {{"kind", r.kind}, {"name", r.name}, {"status", r.status}};
    if (!r.message.empty()) row["message"] = r.message;
    if (r.status == "failed") any_failure_ = true;
    report_["restarts"].push_back(row);
  }
  session.reset();
  obs_.note_file_changes("engine");
}

// End the rollback's journal; what it undid is in its "undone" and "file_settled" records.
rollback_result rollback_execution::finish() {
  const bool selection_complete = !any_failure_ && !interrupted_;
  const std::string outcome = interrupted_ ? "interrupted" : selection_complete ? "rolled_back" : "incomplete";
  obs_.record("run_end", {{"outcome", outcome},
                          {"exit_code", selection_complete ? 0 : static_cast<int>(core::exit_code::apply_failed)},
                          {"finished_at", core::utc_now_iso()}});
  const rollback_state state = rollback_state_of(ctx_.state_dir, plan_.run.folder);

  rollback_result result;
  result.rollback_run_id = id_;
  result.complete = selection_complete;
  result.exit_code = selection_complete ? 0 : static_cast<int>(core::exit_code::apply_failed);
  report_["run_id"] = id_;
  report_["target"] = target_.describe();
  report_["notices"] = plan_.notices;
  report_["complete"] = selection_complete;
  report_["nothing_to_do"] = false;
  report_["run_rolled_back"] = state.label(plan_.run.mutations.size());
  report_["exit_code"] = result.exit_code;
  util::write_file_atomic(obs_.folder().report(), report_.dump(2) + "\n");
  result.report = std::move(report_);
  return result;
}

/// The run to undo; nullopt for --last when every apply run that changed something is rolled back.
std::optional<std::string> resolve_run_id(const core::run_context& ctx, const rollback_request& request) {
  if (request.last == !request.run_id.empty()) {
    throw core::usage_error("rollback: give either --last or a RUN_ID (see `smharden history`)");
  }
  if (!request.last) return request.run_id;
  if (const auto last = last_apply_run(ctx.state_dir)) return last->id;
  for (const auto& r : list_runs(ctx.state_dir)) {
    if (r.mode == "apply" && r.mutations > 0) return std::nullopt;
  }
  throw core::usage_error(fmt::format("rollback --last: no apply run that changed anything in {}; nothing to roll back",
                                      runs_dir(ctx.state_dir).string()));
}

rollback_result everything_rolled_back(const rollback_request& request) {
  rollback_result result;
  result.nothing_to_do = true;
  result.complete = true;
  result.report = {{"mode", "rollback"},
                   {"run_id", nullptr},
                   {"rolls_back", nullptr},
                   {"reason", request.reason},
                   {"undone", json::array()},
                   {"failed", json::array()},
                   {"notices",
                    {"nothing to do: every apply run that changed something is rolled back already "
                     "(`smharden history` lists them)"}},
                   {"complete", true},
                   {"nothing_to_do", true},
                   {"exit_code", 0}};
  return result;
}

/// `lock`: the state folder's lock, to which the target's is added; nullptr when the caller holds both.
rollback_result roll_back(core::run_context& ctx, const rollback_request& given, const std::string& id,
                          core::run_lock* lock) {
  rollback_request request = given;
  const auto run_id = resolve_run_id(ctx, given);
  if (!run_id) return everything_rolled_back(request);
  request.run_id = *run_id;
  request.last = false;
  rollback_plan plan;
  load_rollback_plan(plan, ctx.state_dir, request.run_id, request.only);
  json report = {{"mode", "rollback"},       {"rolls_back", request.run_id}, {"only", request.only},
                 {"reason", request.reason}, {"undone", json::array()},      {"failed", json::array()},
                 {"files", json::array()},   {"restarts", json::array()}};
  if (plan.run.rotation.is_object()) {
    json kept = json::array();
    for (const auto* m : plan.rotation_kept) {
      kept.push_back({{"seq", m->seq}, {"step", m->step}, {"method", m->method}});
    }
    report["rotation_kept"] = std::move(kept);
  }
  if (!plan.has_work()) return nothing_to_do(plan, request, std::move(report));
  const std::string spec = request.target_spec.empty() ? plan.run.start.value("target_spec", "") : request.target_spec;
  if (spec.empty()) {
    throw core::runtime_error(
        fmt::format("{}: the journal names no target; pass --target", plan.run.folder.journal().string()));
  }
  const services::target target = services::parse_target(spec);
  services::require_changeable(target, "rollback");
  if (lock != nullptr) lock->lock_target(target);
  rollback_execution execution(ctx, request, plan, std::move(report), target, spec, id);
  return execution.run();
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

rollback_result run_rollback(core::run_context& ctx, const rollback_request& request) {
  // A --target given on the command line is refused before anything else when it is read-only.
  if (!request.target_spec.empty())
    services::require_changeable(services::parse_target(request.target_spec), "rollback");
  const std::string id = core::new_run_id();
  core::run_lock lock(core::lock_settings(ctx, id, "rollback", request.wait_lock));
  return roll_back(ctx, request, id, &lock);
}

rollback_result run_rollback_holding_lock(core::run_context& ctx, const rollback_request& request) {
  return roll_back(ctx, request, core::new_run_id(), nullptr);
}

}  // namespace smharden::journal
