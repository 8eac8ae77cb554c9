#include "run/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "base/errors.hpp"
#include "profile/access_block.hpp"
#include "run/access_guard.hpp"
#include "run/findings.hpp"
#include "run/mutation_gate.hpp"
#include "run/password_rotation.hpp"
#include "run/plugin_call.hpp"
#include "run/restarts.hpp"
#include "run/target_session.hpp"
#include "runtime/state_dir.hpp"

namespace smharden::core {
namespace {

using nlohmann::json;
using clock_type = std::chrono::steady_clock;

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

/// A check of an unselected dependency made before anything changed.
struct dependency_check {
  json findings;
  std::size_t open = 0;
  std::string error;
};

/// One engine::run: the state it keeps from the first step to the restarts.
class engine_run {
 public:
  engine_run(const plugin_registry& plugins, secret_store& secrets, const redactor& redact, audit_log& log,
             const run_plan& plan, const run_options& opts, const std::atomic<bool>& cancel, const engine_hooks& hooks)
      : plugins_(plugins),
        secrets_(secrets),
        redact_(redact),
        log_(log),
        plan_(plan),
        opts_(opts),
        cancel_(cancel),
        hooks_(hooks),
        gate_(opts.mode == run_mode::apply ? hooks.observer : nullptr),
        cidrs_(plan.prof.management_audience()),
        today_(utc_today()),
        audiences_(audiences_json(plan.prof.access, plan.prof.management_audience())),
        matrix_(audiences_) {}

  run_report run(const std::string& run_id);

 private:
  services::service_env make_env();
  void start_report(const std::string& run_id);
  void precheck_dependencies();
  void run_step(const std::string& id, std::size_t& index);
  bool check_step(const loaded_plugin& p, smh_plugin_instance* inst, const std::string& id, const std::string& severity,
                  json& findings, std::string& error);
  void apply_step(const loaded_plugin& p, smh_plugin_instance* inst, step_result& result, std::size_t open,
                  const clock_type::time_point& started);
  void finish_step(step_result& result, step_status s, const std::string& reason,
                   const clock_type::time_point& started);
  std::string blocked_by(const loaded_plugin* plugin) const;
  int timeout_of(const std::string& id, const loaded_plugin* plugin) const;
  smh_plugin_instance* instance_of(const loaded_plugin& p, const std::string& id, std::string& error);
  void destroy_instances();
  plugin_call_result call(const loaded_plugin& p, smh_plugin_instance* inst, bool apply, const step_host& host);
  std::string severity_of(const std::string& id, const loaded_plugin* plugin) const;
  void restart();

  const plugin_registry& plugins_;
  secret_store& secrets_;
  const redactor& redact_;
  audit_log& log_;
  const run_plan& plan_;
  const run_options& opts_;
  const std::atomic<bool>& cancel_;
  const engine_hooks& hooks_;
  mutation_gate gate_;
  const json cidrs_;
  const std::string today_;
  const json audiences_;
  access_matrix matrix_;  ///< what the steps that restrict access say each audience reaches

  run_report report_;
  std::string current_step_ = "engine";
  std::unique_ptr<target_session> session_;
  step_host_shared shared_;
  std::vector<restart_request> restarts_;
  instance_pool pool_;
  std::map<std::string, step_status> status_of_;
  std::set<std::string> notices_;
  std::set<std::string> needed_as_dependency_;
  std::map<std::string, dependency_check> prechecked_;
  std::string refusal_;                      ///< set when the pre-flight refused every change
  std::optional<rotation::scope> rotation_;  ///< --rotate-service-password
  std::set<std::string> rotated_;            ///< rotation steps whose apply succeeded in this run
};

services::service_env engine_run::make_env() {
  services::service_env env = session_env(secrets_, redact_, log_, state_dir(), hooks_.run_dir);
  if (opts_.mode == run_mode::check) {
    refuse_writes(env, "a check run");
  } else {
    journal_writes(env, hooks_.observer, current_step_);
  }
  return env;
}

void engine_run::start_report(const std::string& run_id) {
  report_.run_id = run_id;
  report_.mode = opts_.mode == run_mode::apply ? "apply" : "check";
  report_.started_at = utc_now_iso();
  report_.target = opts_.target.describe();
  report_.profile = plan_.prof.name;
  for (const auto& f : plan_.prof.chain) report_.profile_chain.push_back(f.string());
  for (const auto& l : plugins_.insecure_loads()) {
    report_.overrides.push_back(
        redact_.apply(fmt::format("--allow-insecure-plugins: loaded {} although {}", l.file.string(), l.reason)));
    log_.record(report_.mode, run_id, "override", {{"what", report_.overrides.back()}});
    report_.extra["insecure_plugins"].push_back({{"file", l.file.string()}, {"reason", redact_.apply(l.reason)}});
  }
  log_.write(SMH_LOG_INFO,
             fmt::format("run {} {} profile={} target={}", run_id, report_.mode, plan_.prof.name, report_.target));
}

run_report engine_run::run(const std::string& run_id) {
  start_report(run_id);
  session_ = std::make_unique<target_session>(opts_.target, make_env(), hooks_.extra_services);
  access_guard_settings guard{plan_.prof.management_audience(), opts_.allow_lockout_risk,
                              [this](const std::string& what) {
                                // A step's check and its apply may both ask: one record per override.
                                const std::string text = redact_.apply(what);
                                auto& o = report_.overrides;
                                if (std::find(o.begin(), o.end(), text) != o.end()) return;
                                o.push_back(text);
                                log_.write(SMH_LOG_INFO, what);
                                log_.record(report_.mode, report_.run_id, "override", {{"what", what}});
                              },
                              audiences_};
  guard.enforce = opts_.mode == run_mode::apply;
  guard.allow_access_change = opts_.allow_access_change;
  guard.matrix = &matrix_;
  guard.current_step = [this] { return current_step_; };
  guard.notice = [this](const std::string& what) { notices_.insert(redact_.apply(what)); };
  register_access_guard(session_->methods(), std::move(guard));
  if (opts_.rotate_service_password) rotation_ = rotation::scope_of(plan_);
  rotation::register_status_method(session_->methods(), [this] {
    const bool in_scope = rotation_ && std::find(rotation_->steps.begin(), rotation_->steps.end(), current_step_) !=
                                           rotation_->steps.end();
    return json{{"requested", in_scope && rotated_.count(current_step_) == 0},
                {"password_secret", in_scope ? json(rotation_->secret) : json(nullptr)}};
  });
  shared_.methods = &session_->methods();
  if (hooks_.session_ready) hooks_.session_ready(session_->methods());
  shared_.gate = opts_.mode == run_mode::apply ? &gate_ : nullptr;
  shared_.secrets = &secrets_;
  shared_.redact = &redact_;
  shared_.cancel = &cancel_;
  shared_.log = [this](smh_log_level level, const std::string& m) { log_.write(level, m); };
  shared_.progress = hooks_.progress;
  shared_.restarts = &restarts_;

  for (const auto& id : plan_.selected) {
    for (const auto& dep : transitive_requires(id, plan_.nodes)) needed_as_dependency_.insert(dep);
  }
  if (opts_.mode == run_mode::apply) precheck_dependencies();
  std::size_t index = 0;
  for (const auto& id : plan_.order) run_step(id, index);
  if (opts_.mode == run_mode::apply) restart();
  destroy_instances();
  session_.reset();  // every service ends its run
  if (cancel_.load()) notices_.insert("the run was interrupted; steps after the interruption did not run");
  report_.notices.assign(notices_.begin(), notices_.end());
  report_.extra["access_matrix"] = matrix_.to_json();
  if (opts_.allow_access_change) report_.extra["access_change_allowed"] = true;
  report_.finished_at = utc_now_iso();
  report_.exit_code = exit_code_for(report_);
  return std::move(report_);
}

bool engine_run::check_step(const loaded_plugin& p, smh_plugin_instance* inst, const std::string& id,
                            const std::string& severity, json& findings, std::string& error) {
  step_host host(shared_, id, run_mode::check, severity, plan_.params.at(id), cidrs_);
  const plugin_call_result r = call(p, inst, false, host);
  findings = host.findings();
  if (!r.ok) error = r.error;
  return r.ok;
}

int engine_run::timeout_of(const std::string& id, const loaded_plugin* plugin) const {
  if (const step_config* cfg = plan_.prof.find_step(id); cfg != nullptr && cfg->timeout_seconds) {
    return *cfg->timeout_seconds;
  }
  if (plugin != nullptr && plugin->manifest().timeout_seconds > 0) return plugin->manifest().timeout_seconds;
  return default_step_timeout_seconds;
}

smh_plugin_instance* engine_run::instance_of(const loaded_plugin& p, const std::string& id, std::string& error) {
  if (hooks_.plugin_call) hooks_.plugin_call(id, "create", timeout_of(id, &p));
  smh_plugin_instance* inst = pool_.get(p, error);
  if (hooks_.plugin_call_done) hooks_.plugin_call_done();
  return inst;
}

// Each destroy runs under the step's timeout, like create, check and apply.
void engine_run::destroy_instances() {
  pool_.destroy_all([this](const std::string& id) {
    if (!id.empty() && hooks_.plugin_call) hooks_.plugin_call(id, "destroy", timeout_of(id, plugins_.find(id)));
    if (id.empty() && hooks_.plugin_call_done) hooks_.plugin_call_done();
  });
}

plugin_call_result engine_run::call(const loaded_plugin& p, smh_plugin_instance* inst, bool apply,
                                    const step_host& host) {
  const std::string& id = p.manifest().id;
  if (hooks_.plugin_call) hooks_.plugin_call(id, apply ? "apply" : "check", timeout_of(id, &p));
  plugin_call_result r = call_plugin(p, inst, apply, host);
  if (hooks_.plugin_call_done) hooks_.plugin_call_done();
  return r;
}

std::string engine_run::severity_of(const std::string& id, const loaded_plugin* plugin) const {
  if (const step_config* cfg = plan_.prof.find_step(id); cfg != nullptr && cfg->severity) return *cfg->severity;
  return plugin != nullptr ? plugin->manifest().severity : std::string();
}

// Apply: the unselected steps the selection requires are checked before anything changes. One
// that is not compliant would block the steps that need it half-way through the run, and the
// failed apply would then be rolled back; refusing every change up front ends in the same state
// without changing the server twice.
void engine_run::precheck_dependencies() {
  std::vector<std::string> unmet;
  for (const auto& id : plan_.order) {
    if (plan_.selected.count(id) != 0 || needed_as_dependency_.count(id) == 0 || cancel_.load()) continue;
    const loaded_plugin* plugin = plugins_.find(id);
    if (plugin == nullptr) continue;
    dependency_check c;
    smh_plugin_instance* inst = instance_of(*plugin, id, c.error);
    current_step_ = id;
    if (inst != nullptr && check_step(*plugin, inst, id, severity_of(id, plugin), c.findings, c.error)) {
      c.open = apply_waivers(id, c.findings, plan_.prof.waivers, today_, notices_);
    } else if (c.error.empty()) {
      c.error = "plugin not loaded";
    }
    if (!c.error.empty() || c.open > 0) unmet.push_back(id);
    prechecked_.emplace(id, std::move(c));
  }
  if (unmet.empty()) return;
  const char* it_them = unmet.size() == 1 ? "it" : "them";
  refusal_ = fmt::format(
      "nothing was applied: {} {} not compliant and not selected, and selected steps require {}. Add "
      "--with-deps, apply {} first, or leave out the steps that require {}",
      fmt::join(unmet, ", "), unmet.size() == 1 ? "is" : "are", it_them, it_them, it_them);
  notices_.insert(refusal_);
  log_.write(SMH_LOG_WARN, refusal_);
}

void engine_run::finish_step(step_result& result, step_status s, const std::string& reason,
                             const clock_type::time_point& started) {
  const bool selected = plan_.selected.count(result.id) > 0;
  result.status = s;
  result.reason = redact_.apply(reason);
  result.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - started).count();
  status_of_[result.id] = s;
  if (hooks_.observer != nullptr && opts_.mode == run_mode::apply && selected) {
    hooks_.observer->step_finished(result.id, to_string(s));
  }
  log_.write(SMH_LOG_INFO, fmt::format("step {}: {}{}", result.id, to_string(s), reason.empty() ? "" : " — " + reason));
  if (hooks_.step_finished && selected) hooks_.step_finished(result);
  report_.steps.push_back(std::move(result));
}

std::string engine_run::blocked_by(const loaded_plugin* plugin) const {
  std::string out;
  if (plugin == nullptr) return out;
  for (const auto& dep : plugin->manifest().requires_) {
    const auto it = status_of_.find(dep.id);
    if (it == status_of_.end()) continue;
    if (!dependency_ok(it->second, opts_.mode, plan_.selected.count(dep.id) > 0)) {
      out += (out.empty() ? "" : ", ") + fmt::format("{} is {}", dep.id, to_string(it->second));
    }
  }
  return out;
}

void engine_run::run_step(const std::string& id, std::size_t& index) {
  const bool selected = plan_.selected.count(id) > 0;
  const loaded_plugin* plugin = plugins_.find(id);
  step_result result;
  result.id = id;
  if (plugin != nullptr) {
    result.title = plugin->manifest().title;
    result.plugin_version = plugin->manifest().version;
    result.os_access = plugin->manifest().os_access;
  }
  result.severity = severity_of(id, plugin);
  const auto started = clock_type::now();
  auto finish = [&](step_status s, const std::string& reason = {}) { finish_step(result, s, reason, started); };

  if (!selected && needed_as_dependency_.count(id) == 0) return finish(step_status::skipped, "not selected");
  if (cancel_.load()) return finish(step_status::skipped, "not run: the run was interrupted by the operator");
  if (selected && hooks_.step_started) hooks_.step_started(id, ++index, plan_.selected.size());
  if (const std::string blocked = blocked_by(plugin); !blocked.empty()) {
    return finish(step_status::blocked, fmt::format("not run: requires {}", blocked));
  }
  std::string error;
  smh_plugin_instance* inst = plugin != nullptr ? instance_of(*plugin, id, error) : nullptr;
  if (inst == nullptr) return finish(step_status::error, error.empty() ? "plugin not loaded" : error);

  current_step_ = id;
  std::size_t open = 0;
  if (const auto pre = prechecked_.find(id); pre != prechecked_.end()) {
    // Checked before anything changed, and nothing has changed since.
    result.findings = pre->second.findings;
    if (!pre->second.error.empty()) return finish(step_status::error, pre->second.error);
    open = pre->second.open;
  } else {
    json findings;
    const bool ok = check_step(*plugin, inst, id, result.severity, findings, error);
    result.findings = findings;
    if (!ok) return finish(step_status::error, error);
    open = apply_waivers(id, result.findings, plan_.prof.waivers, today_, notices_);
  }

  if (!selected) {
    // Checked only because a selected step requires it.
    finish(step_status::skipped,
           fmt::format("not selected; checked as a dependency: {}", open == 0 ? "compliant" : "not compliant"));
    status_of_[id] = open == 0 ? step_status::compliant : step_status::drift;
    return;
  }
  if (open == 0) return finish(result.findings.empty() ? step_status::compliant : step_status::waived);
  if (opts_.mode == run_mode::check) return finish(step_status::drift);
  if (!refusal_.empty()) return finish(step_status::drift, refusal_);
  if (count_automatable(result.findings) == 0) {
    return finish(step_status::drift, "every open finding needs the operator; nothing to apply automatically");
  }
  apply_step(*plugin, inst, result, open, started);
}

// Apply, commit the services' in-memory changes, then verify with a fresh check.
void engine_run::apply_step(const loaded_plugin& p, smh_plugin_instance* inst, step_result& result, std::size_t open,
                            const clock_type::time_point& started) {
  auto finish = [&](step_status s, const std::string& reason = {}) { finish_step(result, s, reason, started); };
  const std::string& id = result.id;
  step_host apply_host(shared_, id, run_mode::apply, result.severity, plan_.params.at(id), cidrs_);
  const plugin_call_result applied = call(p, inst, true, apply_host);
  result.changes = apply_host.changes();
  if (!applied.ok) {
    session_->discard_step();
    return finish(step_status::failed, fmt::format("apply failed: {}", applied.error));
  }
  try {
    session_->commit_step();
  } catch (const std::exception& e) {
    session_->discard_step();
    return finish(step_status::failed, fmt::format("could not save the step's changes: {}", e.what()));
  }
  if (rotation_) rotated_.insert(id);  // its part of the rotation is done: the verify must not ask again
  json after;
  std::string error;
  if (!check_step(p, inst, id, result.severity, after, error)) {
    return finish(step_status::failed, fmt::format("verify failed: {}", error));
  }
  open = apply_waivers(id, after, plan_.prof.waivers, today_, notices_);
  if (open == 0) return finish(step_status::applied);
  result.findings = after;
  if (count_automatable(after) == 0) {
    return finish(step_status::drift, "applied what can be automated; the remaining findings need the operator");
  }
  finish(step_status::failed,
         fmt::format("verify: {} finding(s) remain after apply (the plugin's apply did not converge)", open));
}

// Restarts, each at most once, after every step.
void engine_run::restart() {
  current_step_ = "engine";
  restart_settings settings;
  settings.no_restart = opts_.no_restart;
  settings.cancel = &cancel_;
  const services::registry& methods = session_->methods();
  report_.restarts = perform_restarts(
      restarts_, [&methods]() -> const services::registry& { return methods; }, gate_, settings, redact_, log_);
}

}  // namespace

engine::engine(const plugin_registry& plugins, secret_store& secrets, const redactor& redact, audit_log& log)
    : plugins_(plugins), secrets_(secrets), redact_(redact), log_(log) {}

run_report engine::run(const run_plan& plan, const run_options& opts, const std::string& run_id,
                       const std::atomic<bool>& cancel, const engine_hooks& hooks) {
  engine_run r(plugins_, secrets_, redact_, log_, plan, opts, cancel, hooks);
  return r.run(run_id);
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
