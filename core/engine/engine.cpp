#include "engine/engine.hpp"

#include <fmt/format.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>

#include "engine/state_dir.hpp"
#include "errors.hpp"

namespace smharden::core {
namespace {

using nlohmann::json;

/// One plugin instance per plugin per run, destroyed at the end of the run.
class instance_pool {
 public:
  ~instance_pool() {
    for (auto& [id, entry] : instances_) {
      if (entry.second != nullptr) entry.first->table().destroy(entry.second);
    }
  }
  smh_plugin_instance* get(const loaded_plugin& p, std::string& error) {
    auto it = instances_.find(p.manifest().id);
    if (it != instances_.end()) return it->second.second;
    smh_plugin_instance* inst = nullptr;
    smh_status status = SMH_ERR_FAILED;
    try {
      status = p.table().create(&inst);
    } catch (...) {
      status = SMH_ERR_FAILED;
    }
    if (status != SMH_OK || inst == nullptr) {
      error = fmt::format("the plugin could not create an instance (status {})", status);
      if (inst != nullptr) {
        error += fmt::format(": {}", p.table().last_error(inst));
        p.table().destroy(inst);
      }
      return nullptr;
    }
    instances_.emplace(p.manifest().id, std::make_pair(&p, inst));
    return inst;
  }

 private:
  std::map<std::string, std::pair<const loaded_plugin*, smh_plugin_instance*>> instances_;
};

struct plugin_call_result {
  bool ok = false;
  std::string error;
};

plugin_call_result call_plugin(const loaded_plugin& p, smh_plugin_instance* inst, bool apply, const step_host& host) {
  smh_status status = SMH_ERR_FAILED;
  plugin_call_result r;
  try {
    status = apply ? p.table().apply(inst, &host.context()) : p.table().check(inst, &host.context());
  } catch (...) {
    r.error = "the plugin let an exception cross the ABI boundary";
    return r;
  }
  if (!host.violation().empty()) {
    r.error = host.violation();
    return r;
  }
  if (status != SMH_OK) {
    const char* why = nullptr;
    try {
      why = p.table().last_error(inst);
    } catch (...) {
    }
    r.error = why != nullptr && *why != '\0' ? why : fmt::format("the plugin returned status {}", status);
    if (status == SMH_ERR_CANCELLED) r.error = "cancelled by the operator";
    return r;
  }
  r.ok = true;
  return r;
}

/// Marks findings covered by an active waiver; returns the number left unwaived.
std::size_t apply_waivers(const std::string& step, json& findings, const std::vector<waiver>& waivers,
                          const std::string& today, std::set<std::string>& notices) {
  std::size_t open = 0;
  for (auto& f : findings) {
    const std::string fid = f.value("id", "");
    bool waived = false;
    for (const auto& w : waivers) {
      if (w.step != step || (w.finding && *w.finding != fid)) continue;
      if (w.active_on(today)) {
        f["waived"] = {{"reason", w.reason}, {"expires", w.expires}};
        waived = true;
        break;
      }
      notices.insert(fmt::format("waiver for {}{} ({}{}) expired on {}; the finding counts again", step,
                                 w.finding ? "/" + *w.finding : "", w.file, w.pointer, w.expires));
    }
    if (!waived) ++open;
  }
  return open;
}

std::size_t count_automatable(const json& findings) {
  std::size_t n = 0;
  for (const auto& f : findings) {
    if (!f.contains("waived") && f.value("automated", true)) ++n;
  }
  return n;
}

bool dependency_ok(step_status s, run_mode mode, bool selected) {
  switch (s) {
    case step_status::compliant:
    case step_status::applied:
    case step_status::waived:
      return true;
    case step_status::drift:
      // In check mode a selected dependency's drift does not stop its users
      // from being checked; an unselected one, or any drift left after an
      // apply, does.
      return mode == run_mode::check && selected;
    default:
      return false;
  }
}

}  // namespace

engine::engine(const plugin_registry& plugins, secret_store& secrets, const redactor& redact, audit_log& log)
    : plugins_(plugins), secrets_(secrets), redact_(redact), log_(log) {}

run_report engine::run(const run_plan& plan, const run_options& opts, const std::string& run_id,
                       const std::atomic<bool>& cancel, const engine_hooks& hooks) {
  using clock = std::chrono::steady_clock;
  run_report report;
  report.run_id = run_id;
  report.mode = opts.mode == run_mode::apply ? "apply" : "check";
  report.started_at = utc_now_iso();
  report.target = opts.target.describe();
  report.profile = plan.prof.name;
  for (const auto& f : plan.prof.chain) report.profile_chain.push_back(f.string());
  const std::string today = utc_today();
  log_.write(SMH_LOG_INFO,
             fmt::format("run {} {} profile={} target={}", run_id, report.mode, plan.prof.name, report.target));

  std::string current_step = "engine";
  services::service_env env;
  env.run_dir = hooks.run_dir;
  env.state_dir = state_dir();
  env.secret = [this](const std::string& name) { return secrets_.get(name); };
  env.log = [this](const std::string& line) { log_.write(SMH_LOG_INFO, line); };
  env.management_cidrs = plan.prof.management_cidrs;
  env.allow_lockout_risk = opts.allow_lockout_risk;
  env.record_override = [&](const std::string& what) { report.overrides.push_back(redact_.apply(what)); };
  env.before_file_write = [&](const std::filesystem::path& file) {
    if (opts.mode == run_mode::check) {
      throw services::service_error("refused", fmt::format("{} would be written during a check run", file.string()));
    }
    if (hooks.observer != nullptr) hooks.observer->before_file_write(current_step, file);
  };
  services::service_list services = services::make_services(opts.target, env);
  if (hooks.extra_services) hooks.extra_services(services, env);
  services::registry methods;
  for (auto& s : services) s->register_methods(methods);

  std::vector<restart_request> restarts;
  step_host_shared shared;
  shared.methods = &methods;
  shared.observer = opts.mode == run_mode::apply ? hooks.observer : nullptr;
  shared.secrets = &secrets_;
  shared.redact = &redact_;
  shared.cancel = &cancel;
  shared.log = [this](smh_log_level level, const std::string& m) { log_.write(level, m); };
  shared.progress = hooks.progress;
  shared.restarts = &restarts;

  instance_pool pool;
  std::map<std::string, step_status> status_of;
  std::set<std::string> notices;
  const json cidrs = plan.prof.management_cidrs;

  // One check of `p` with `params`, findings waived; nullopt + error on failure.
  auto run_check = [&](const loaded_plugin& p, smh_plugin_instance* inst, const json& params, const std::string& id,
                       const std::string& severity, json& findings, std::string& error) {
    step_host host(shared, id, run_mode::check, severity, params, cidrs);
    const plugin_call_result r = call_plugin(p, inst, false, host);
    findings = host.findings();
    if (!r.ok) error = r.error;
    return r.ok;
  };

  // The profile's severity for a step, else its plugin's default.
  auto severity_of = [&](const std::string& id, const loaded_plugin* plugin) {
    if (const step_config* cfg = plan.prof.find_step(id); cfg != nullptr && cfg->severity) return *cfg->severity;
    return plugin != nullptr ? plugin->manifest().severity : std::string();
  };

  std::set<std::string> needed_as_dependency;
  for (const auto& id : plan.selected) {
    for (const auto& dep : transitive_requires(id, plan.nodes)) needed_as_dependency.insert(dep);
  }

  // Apply: the unselected steps the selection requires are checked before anything changes. One
  // that is not compliant would block the steps that need it half-way through the run, and the
  // failed apply would then be rolled back; refusing every change up front ends in the same state
  // without changing the server twice.
  struct dependency_check {
    json findings;
    std::size_t open = 0;
    std::string error;
  };
  std::map<std::string, dependency_check> prechecked;
  std::vector<std::string> unmet;
  if (opts.mode == run_mode::apply) {
    for (const auto& id : plan.order) {
      if (plan.selected.count(id) != 0 || needed_as_dependency.count(id) == 0 || cancel.load()) continue;
      const loaded_plugin* plugin = plugins_.find(id);
      if (plugin == nullptr) continue;
      dependency_check c;
      smh_plugin_instance* inst = pool.get(*plugin, c.error);
      current_step = id;
      if (inst != nullptr &&
          run_check(*plugin, inst, plan.params.at(id), id, severity_of(id, plugin), c.findings, c.error)) {
        c.open = apply_waivers(id, c.findings, plan.prof.waivers, today, notices);
      } else if (c.error.empty()) {
        c.error = "plugin not loaded";
      }
      if (!c.error.empty() || c.open > 0) unmet.push_back(id);
      prechecked.emplace(id, std::move(c));
    }
  }
  const bool refuse_changes = !unmet.empty();
  std::string refusal;
  if (refuse_changes) {
    refusal = fmt::format(
        "nothing was applied: {} {} not compliant and not selected, and selected steps require {}. Add "
        "--with-deps, apply {} first, or leave out the steps that require {}",
        fmt::join(unmet, ", "), unmet.size() == 1 ? "is" : "are", unmet.size() == 1 ? "it" : "them",
        unmet.size() == 1 ? "it" : "them", unmet.size() == 1 ? "it" : "them");
    notices.insert(refusal);
    log_.write(SMH_LOG_WARN, refusal);
  }

  std::size_t index = 0;
  const std::size_t total = plan.selected.size();
  for (const auto& id : plan.order) {
    const bool selected = plan.selected.count(id) > 0;
    const loaded_plugin* plugin = plugins_.find(id);
    step_result result;
    result.id = id;
    if (plugin != nullptr) {
      result.title = plugin->manifest().title;
      result.plugin_version = plugin->manifest().version;
      result.os_access = plugin->manifest().os_access;
    }
    result.severity = severity_of(id, plugin);
    const json& params = plan.params.at(id);
    const auto started = clock::now();
    auto finish = [&](step_status s, const std::string& reason = {}) {
      result.status = s;
      result.reason = redact_.apply(reason);
      result.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock::now() - started).count();
      status_of[id] = s;
      if (hooks.observer != nullptr && opts.mode == run_mode::apply && selected) {
        hooks.observer->step_finished(id, to_string(s));
      }
      log_.write(SMH_LOG_INFO, fmt::format("step {}: {}{}", id, to_string(s), reason.empty() ? "" : " — " + reason));
      if (hooks.step_finished && selected) hooks.step_finished(result);
      report.steps.push_back(std::move(result));
    };

    if (!selected && needed_as_dependency.count(id) == 0) {
      finish(step_status::skipped, "not selected");
      continue;
    }
    if (cancel.load()) {
      finish(step_status::skipped, "not run: the run was interrupted by the operator");
      continue;
    }
    if (selected && hooks.step_started) hooks.step_started(id, ++index, total);

    // Dependencies first: a failed, blocked or non-compliant one blocks this step.
    std::string blocked_by;
    if (plugin != nullptr) {
      for (const auto& dep : plugin->manifest().requires_) {
        const auto it = status_of.find(dep.id);
        if (it == status_of.end()) continue;
        if (!dependency_ok(it->second, opts.mode, plan.selected.count(dep.id) > 0)) {
          blocked_by += (blocked_by.empty() ? "" : ", ") + fmt::format("{} is {}", dep.id, to_string(it->second));
        }
      }
    }
    if (!blocked_by.empty()) {
      finish(step_status::blocked, fmt::format("not run: requires {}", blocked_by));
      continue;
    }

    std::string error;
    smh_plugin_instance* inst = plugin != nullptr ? pool.get(*plugin, error) : nullptr;
    if (inst == nullptr) {
      finish(step_status::error, error.empty() ? "plugin not loaded" : error);
      continue;
    }

    json findings;
    current_step = id;
    std::size_t open = 0;
    if (const auto pre = prechecked.find(id); pre != prechecked.end()) {
      // Checked before anything changed, and nothing has changed since.
      findings = pre->second.findings;
      if (!pre->second.error.empty()) {
        result.findings = findings;
        finish(step_status::error, pre->second.error);
        continue;
      }
      open = pre->second.open;
    } else {
      if (!run_check(*plugin, inst, params, id, result.severity, findings, error)) {
        result.findings = findings;
        finish(step_status::error, error);
        continue;
      }
      open = apply_waivers(id, findings, plan.prof.waivers, today, notices);
    }
    result.findings = findings;

    if (!selected) {
      // Checked only because a selected step requires it.
      finish(step_status::skipped,
             fmt::format("not selected; checked as a dependency: {}", open == 0 ? "compliant" : "not compliant"));
      status_of[id] = open == 0 ? step_status::compliant : step_status::drift;
      continue;
    }
    if (open == 0) {
      finish(findings.empty() ? step_status::compliant : step_status::waived);
      continue;
    }
    if (opts.mode == run_mode::check) {
      finish(step_status::drift);
      continue;
    }
    if (refuse_changes) {
      finish(step_status::drift, refusal);
      continue;
    }
    if (count_automatable(findings) == 0) {
      finish(step_status::drift, "every open finding needs the operator; nothing to apply automatically");
      continue;
    }

    // Apply, then verify with a fresh check.
    step_host apply_host(shared, id, run_mode::apply, result.severity, params, cidrs);
    const plugin_call_result applied = call_plugin(*plugin, inst, true, apply_host);
    result.changes = apply_host.changes();
    if (!applied.ok) {
      for (auto& s : services) s->discard_step();
      finish(step_status::failed, fmt::format("apply failed: {}", applied.error));
      continue;
    }
    try {
      for (auto& s : services) s->commit_step();
    } catch (const std::exception& e) {
      for (auto& s : services) s->discard_step();
      finish(step_status::failed, fmt::format("could not save the step's changes: {}", e.what()));
      continue;
    }
    json after;
    if (!run_check(*plugin, inst, params, id, result.severity, after, error)) {
      finish(step_status::failed, fmt::format("verify failed: {}", error));
      continue;
    }
    open = apply_waivers(id, after, plan.prof.waivers, today, notices);
    if (open == 0) {
      finish(step_status::applied);
    } else if (count_automatable(after) == 0) {
      result.findings = after;
      finish(step_status::drift, "applied what can be automated; the remaining findings need the operator");
    } else {
      result.findings = after;
      finish(step_status::failed,
             fmt::format("verify: {} finding(s) remain after apply (the plugin's apply did not converge)", open));
    }
  }

  // Restarts, each at most once, after every step.
  if (opts.mode == run_mode::apply) {
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& r : restarts) {
      if (!seen.emplace(r.kind, r.name).second) continue;
      restart_result rr{r.kind, r.name, "pending", ""};
      if (opts.no_restart) {
        rr.message = "--no-restart: restart it yourself for the change to take effect";
      } else if (cancel.load()) {
        rr.message = "run interrupted before restarts";
      } else {
        const std::string method = r.kind == "service" ? "windows.service.restart" : "iis.app_pool.recycle";
        const services::method* m = methods.find(method);
        const json params = {{"name", r.name}};
        try {
          if (m == nullptr) throw services::service_error("not_found", "no " + method + " on this target");
          current_step = "engine";
          if (hooks.observer != nullptr) hooks.observer->before_mutation("engine", method, params, m->undo(params));
          m->invoke(params);
          if (hooks.observer != nullptr) hooks.observer->after_mutation("engine", method, true);
          rr.status = "done";
        } catch (const std::exception& e) {
          rr.status = "failed";
          rr.message = redact_.apply(e.what());
        }
      }
      log_.write(SMH_LOG_INFO, fmt::format("restart {} {}: {} {}", r.kind, r.name, rr.status, rr.message));
      report.restarts.push_back(std::move(rr));
    }
  }
  for (auto& s : services) s->end_run();
  if (cancel.load()) {
    notices.insert("the run was interrupted; steps after the interruption did not run");
  }
  report.notices.assign(notices.begin(), notices.end());
  report.finished_at = utc_now_iso();
  report.exit_code = exit_code_for(report);
  return report;
}

int exit_code_for(const run_report& report) {
  bool drift = false, failed = false, error = false;
  for (const auto& s : report.steps) {
    switch (s.status) {
      case step_status::drift:
      case step_status::blocked:
        (report.mode == "apply" && s.status == step_status::blocked ? failed : drift) = true;
        break;
      case step_status::failed:
        failed = true;
        break;
      case step_status::error:
        error = true;
        break;
      default:
        break;
    }
  }
  for (const auto& r : report.restarts) {
    if (r.status == "failed") failed = true;
  }
  if (report.mode == "apply" && (failed || error)) return static_cast<int>(exit_code::apply_failed);
  if (error) return static_cast<int>(exit_code::runtime);
  if (drift) return static_cast<int>(exit_code::drift);
  return static_cast<int>(exit_code::ok);
}

}  // namespace smharden::core
