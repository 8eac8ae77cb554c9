#include "run/smartermail_unblock.hpp"

#include <fmt/format.h>

#include "base/atomic_file.hpp"
#include "base/errors.hpp"
#include "run/journal_observer.hpp"
#include "run/mutation_gate.hpp"
#include "run/run_lock.hpp"
#include "run/target_session.hpp"
#include "runtime/state_dir.hpp"

namespace smharden::core {
namespace {

// journal_writes keeps a reference to the step name: it must outlive the session.
const std::string step_name = "smartermail-unblock";

}  // namespace

nlohmann::json run_smartermail_unblock(run_context& ctx, const services::target& t, const std::string& target_spec,
                                       const std::string& address, std::chrono::seconds wait_lock) {
  services::require_changeable(t, "smartermail unblock");
  const std::string run_id = new_run_id();
  run_lock lock(lock_settings(ctx, run_id, "smartermail unblock", wait_lock));
  lock.lock_target(t);
  const journal::run_folder folder{journal::runs_dir(ctx.state_dir) / run_id};
  std::filesystem::create_directories(folder.dir);
  journal::journal_observer journal(folder, ctx.redact, "apply", &ctx.cancel);
  journal.record("run_start", {{"mode", "apply"},
                               {"format", 1},
                               {"run_id", run_id},
                               {"profile", "(smartermail unblock)"},
                               {"target", t.describe()},
                               {"target_spec", target_spec.empty() ? t.describe() : target_spec},
                               {"selected", nlohmann::json::array({step_name})},
                               {"started_at", utc_now_iso()},
                               {"started_ns", now_ns()}});
  nlohmann::json result;
  try {
    services::service_env env = session_env(ctx.secrets, ctx.redact, ctx.log, ctx.state_dir, folder.dir);
    journal_writes(env, &journal, step_name);
    target_session session(t, env);
    const services::method* m = session.methods().find("smartermail.ids.unblock");
    if (m == nullptr) throw runtime_error(fmt::format("{} has no SmarterMail service", t.describe()));
    mutation_gate gate(&journal);
    try {
      result = gate.call(step_name, *m, {{"address", address}});
    } catch (const services::service_error& e) {
      session.discard_step();
      throw runtime_error(ctx.redact.apply(e.what()));
    }
    session.commit_step();
    journal.step_finished(step_name, result.value("changed", false) ? "applied" : "compliant");
  } catch (const std::exception& e) {
    journal.record("run_end",
                   {{"outcome", "error"}, {"error", ctx.redact.apply(e.what())}, {"finished_at", utc_now_iso()}});
    throw;
  }
  journal.record("run_end", {{"outcome", "ok"}, {"exit_code", 0}, {"finished_at", utc_now_iso()}});
  nlohmann::json report = {{"run_id", run_id},
                           {"mode", "smartermail unblock"},
                           {"target", t.describe()},
                           {"address", address},
                           {"changed", result.value("changed", false)},
                           {"lifted", result.value("lifted", nlohmann::json::array())}};
  util::write_file_atomic(folder.report(), report.dump(2) + "\n");
  return report;
}

}  // namespace smharden::core
