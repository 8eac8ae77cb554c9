#include "run/step_host.hpp"

#include <fmt/format.h>

#include "base/errors.hpp"
#include "base/json_reader.hpp"
#include "registry/plugin_manifest.hpp"
#include "run/findings.hpp"
#include "run/restart_table.hpp"

namespace smharden::core {
namespace {

using nlohmann::json;

json parse_object(const char* text) {
  if (text == nullptr) return json();
  json j;
  try {
    j = parse_json(text, "plugin result", json_read_options{own_json_limits});
  } catch (const error&) {
    return json();  // not usable: the caller reports the step's result as malformed
  }
  return j.is_object() ? j : json();
}

}  // namespace

step_host::step_host(const step_host_shared& shared, std::string step_id, run_mode mode, std::string default_severity,
                     const json& params, const json& management_cidrs)
    : shared_(shared),
      step_id_(std::move(step_id)),
      mode_(mode),
      default_severity_(std::move(default_severity)),
      params_text_(params.dump()),
      cidrs_text_(management_cidrs.dump()) {
  ctx_.struct_size = sizeof(smh_call_context_v1);
  ctx_.abi_major = SMH_ABI_MAJOR;
  ctx_.abi_minor = SMH_ABI_MINOR;
  ctx_.host = reinterpret_cast<smh_host_step*>(this);
  ctx_.step_id = step_id_.c_str();
  ctx_.mode = mode_ == run_mode::apply ? "apply" : "check";
  ctx_.params_json = params_text_.c_str();
  ctx_.management_cidrs_json = cidrs_text_.c_str();
  ctx_.call_service = &on_call_service;
  ctx_.log = &on_log;
  ctx_.emit_finding = &on_emit_finding;
  ctx_.emit_change = &on_emit_change;
  ctx_.get_secret = &on_get_secret;
  ctx_.put_secret = &on_put_secret;
  ctx_.progress = &on_progress;
  ctx_.is_cancelled = &on_is_cancelled;
  ctx_.request_restart = &on_request_restart;
}

smh_status step_host::fail(smh_status status, const std::string& code, const std::string& message,
                           const char** result) {
  last_result_ = json{{"error", {{"code", code}, {"message", shared_.redact->apply(message)}}}}.dump();
  if (result != nullptr) *result = last_result_.c_str();
  return status;
}

smh_status step_host::call(const char* method, const char* params_text, const char** result) {
  ++calls_;
  if (method == nullptr) return fail(SMH_ERR_INVALID_ARGUMENT, "invalid_params", "method name is NULL", result);
  const json params = params_text == nullptr || *params_text == '\0' ? json::object() : parse_object(params_text);
  if (!params.is_object()) {
    return fail(SMH_ERR_INVALID_ARGUMENT, "invalid_params",
                fmt::format("{}: params must be a JSON object as text", method), result);
  }
  const services::method* m = shared_.methods->find(method);
  if (m == nullptr) {
    return fail(SMH_ERR_NOT_FOUND, "not_found",
                fmt::format("no service method \"{}\" on this target (see docs/services.md)", method), result);
  }
  if (m->kind == services::access::mutating && mode_ == run_mode::check) {
    const std::string message =
        fmt::format("refused: {} changes the target, and this is a check run (check mode is read-only)", method);
    if (violation_.empty()) violation_ = fmt::format("the plugin attempted the mutating call {} during check", method);
    shared_.log(SMH_LOG_WARN, fmt::format("[{}] {}", step_id_, message));
    return fail(SMH_ERR_REFUSED, "refused", message, result);
  }
  try {
    json value;
    if (m->kind == services::access::mutating) {
      if (shared_.gate == nullptr) throw services::service_error("refused", "no mutation gate in this run");
      value = shared_.gate->call(step_id_, *m, params);
      shared_.log(SMH_LOG_INFO, shared_.redact->apply(fmt::format("[{}] {} {}", step_id_, method, params.dump())));
    } else {
      value = m->invoke(params);
    }
    last_result_ = value.dump();
    if (result != nullptr) *result = last_result_.c_str();
    return SMH_OK;
  } catch (const services::service_error& e) {
    // The SDK names the method when it turns this into an exception.
    return fail(SMH_ERR_SERVICE, e.code(), e.what(), result);
  } catch (const std::exception& e) {
    return fail(SMH_ERR_FAILED, "failed", e.what(), result);
  }
}

smh_status step_host::on_call_service(smh_host_step* h, const char* method, const char* params, const char** result) {
  try {
    return self(h).call(method, params, result);
  } catch (...) {
    return SMH_ERR_FAILED;
  }
}

void step_host::on_log(smh_host_step* h, smh_log_level level, const char* message) {
  try {
    auto& s = self(h);
    s.shared_.log(level, s.shared_.redact->apply(fmt::format("[{}] {}", s.step_id_, message ? message : "")));
  } catch (...) {
  }
}

smh_status step_host::on_emit_finding(smh_host_step* h, const char* text) {
  try {
    auto& s = self(h);
    json f = parse_object(text);
    if (!f.is_object()) return SMH_ERR_INVALID_ARGUMENT;
    if (const std::string wrong = finding_type_error(f); !wrong.empty()) {
      if (s.violation_.empty()) {
        s.violation_ = s.shared_.redact->apply(
            fmt::format("step {}: the plugin emitted a finding ({}) with a wrong type: {}", s.step_id_,
                        f.value("id", json()).is_string() ? f["id"].get<std::string>() : "no id", wrong));
      }
      return SMH_ERR_INVALID_ARGUMENT;
    }
    if (!f.contains("id") || !f.contains("title")) return SMH_ERR_INVALID_ARGUMENT;
    if (!f.contains("severity") || !f["severity"].is_string() || !valid_severity(f["severity"].get<std::string>())) {
      f["severity"] = s.default_severity_;
    }
    for (const char* key : {"current", "desired"}) {
      if (!f.contains(key)) f[key] = nullptr;
    }
    if (!f.contains("remediation")) f["remediation"] = "";
    if (!f.contains("automated")) f["automated"] = true;
    s.findings_.push_back(json::parse(s.shared_.redact->apply(f.dump())));
    return SMH_OK;
  } catch (...) {
    return SMH_ERR_FAILED;
  }
}

smh_status step_host::on_emit_change(smh_host_step* h, const char* text) {
  try {
    auto& s = self(h);
    if (s.mode_ == run_mode::check) return SMH_ERR_REFUSED;
    const json c = parse_object(text);
    if (!c.is_object()) return SMH_ERR_INVALID_ARGUMENT;
    if (const std::string wrong = change_type_error(c); !wrong.empty()) {
      if (s.violation_.empty()) {
        s.violation_ = s.shared_.redact->apply(
            fmt::format("step {}: the plugin emitted a change with a wrong type: {}", s.step_id_, wrong));
      }
      return SMH_ERR_INVALID_ARGUMENT;
    }
    s.changes_.push_back(json::parse(s.shared_.redact->apply(c.dump())));
    return SMH_OK;
  } catch (...) {
    return SMH_ERR_FAILED;
  }
}

smh_status step_host::on_get_secret(smh_host_step* h, const char* name, const char** value) {
  try {
    if (name == nullptr || value == nullptr) return SMH_ERR_INVALID_ARGUMENT;
    auto& s = self(h);
    *value = nullptr;
    auto secret = s.shared_.secrets->get(name);
    if (!secret) return SMH_ERR_NOT_FOUND;
    s.secret_values_.push_back(std::move(*secret));
    *value = s.secret_values_.back().c_str();
    return SMH_OK;
  } catch (...) {
    return SMH_ERR_FAILED;
  }
}

smh_status step_host::on_put_secret(smh_host_step* h, const char* name, const char* value) {
  try {
    if (name == nullptr || value == nullptr || *name == '\0') return SMH_ERR_INVALID_ARGUMENT;
    self(h).shared_.secrets->put(name, value);
    return SMH_OK;
  } catch (...) {
    return SMH_ERR_FAILED;
  }
}

void step_host::on_progress(smh_host_step* h, uint32_t done, uint32_t total, const char* label) {
  try {
    auto& s = self(h);
    if (s.shared_.progress) s.shared_.progress(s.step_id_, done, total, label ? label : "");
  } catch (...) {
  }
}

uint32_t step_host::on_is_cancelled(smh_host_step* h) {
  const auto* flag = self(h).shared_.cancel;
  return flag != nullptr && flag->load() ? 1U : 0U;
}

smh_status step_host::on_request_restart(smh_host_step* h, const char* text) {
  try {
    auto& s = self(h);
    if (s.mode_ == run_mode::check) return SMH_ERR_REFUSED;
    const json r = parse_object(text);
    if (!r.is_object() || !r.contains("kind") || !r.contains("name") || !r["kind"].is_string() ||
        !r["name"].is_string()) {
      return SMH_ERR_INVALID_ARGUMENT;
    }
    const std::string kind = r["kind"].get<std::string>();
    if (!restart_method_for(kind)) return SMH_ERR_INVALID_ARGUMENT;
    s.shared_.restarts->push_back({kind, r["name"].get<std::string>(), s.step_id_});
    return SMH_OK;
  } catch (...) {
    return SMH_ERR_FAILED;
  }
}

}  // namespace smharden::core
