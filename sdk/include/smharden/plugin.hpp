// smharden C++ plugin wrapper (header-only) over the C ABI in plugin_abi.h.
//
// A plugin author derives from smharden::plugin, implements check() and
// apply(), and writes one line:
//
//     SMHARDEN_PLUGIN(my_plugin, smharden_manifest_json)
//
// The macro exports `smharden_plugin_v1` and turns every exception into a
// status code plus last_error text, so nothing C++ crosses the boundary.
#ifndef SMHARDEN_PLUGIN_HPP
#define SMHARDEN_PLUGIN_HPP

#include <smharden/plugin_abi.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

namespace smharden {
inline namespace abi_v1 {

using json = nlohmann::json;

/// A service call that the host answered with an error status.
class service_error : public std::runtime_error {
 public:
  service_error(smh_status status, std::string method, std::string code, const std::string& message)
      : std::runtime_error(method + ": " + message),
        status_(status),
        method_(std::move(method)),
        code_(std::move(code)) {}
  smh_status status() const noexcept { return status_; }
  const std::string& method() const noexcept { return method_; }
  /// The service's error code, e.g. "not_found", "invalid_params", "refused".
  const std::string& code() const noexcept { return code_; }

 private:
  smh_status status_;
  std::string method_;
  std::string code_;
};

/// Thrown by context::throw_if_cancelled(); the wrapper maps it to SMH_ERR_CANCELLED.
class cancelled : public std::runtime_error {
 public:
  cancelled() : std::runtime_error("run cancelled by the operator") {}
};

/// One deviation from the desired state.
struct finding {
  std::string id;           ///< stable within the plugin, e.g. "password-never-expires"
  std::string title;        ///< one line a sysadmin understands
  std::string severity;     ///< info|low|medium|high|critical; empty = the step's default
  json current;             ///< what the target has now (null when unknown)
  json desired;             ///< what the profile wants
  std::string remediation;  ///< what apply does, or what the operator must do
  bool automated = true;    ///< false when apply cannot fix it (e.g. 2FA enrolment)
};

/// One change made during apply.
struct change {
  std::string id;
  std::string description;
  json before;
  json after;
};

/// The host as seen from one check/apply call. Valid only during that call.
class context {
 public:
  explicit context(const smh_call_context_v1& raw)
      : raw_(raw),
        params_(parse_or_empty(raw.params_json, json::object())),
        management_cidrs_(parse_or_empty(raw.management_cidrs_json, json::array())) {}

  const smh_call_context_v1& raw() const noexcept { return raw_; }
  std::string step_id() const { return raw_.step_id ? raw_.step_id : ""; }
  bool is_apply() const { return raw_.mode != nullptr && std::string_view(raw_.mode) == "apply"; }
  /// The step's validated params.
  const json& params() const noexcept { return params_; }
  /// The profile's management CIDR ranges (array of strings).
  const json& management_cidrs() const noexcept { return management_cidrs_; }

  /// Calls a host service method; throws service_error when it fails.
  json call(std::string_view method, const json& params = json::object()) const {
    const std::string name(method);
    const std::string text = params.dump();
    const char* result = nullptr;
    const smh_status status = raw_.call_service(raw_.host, name.c_str(), text.c_str(), &result);
    json parsed = parse_or_empty(result, json::object());
    if (status != SMH_OK) {
      std::string code = "error";
      std::string message = "service call failed";
      if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_object()) {
        code = parsed["error"].value("code", code);
        message = parsed["error"].value("message", message);
      }
      throw service_error(status, name, code, message);
    }
    return parsed;
  }

  void log(smh_log_level level, std::string_view message) const {
    const std::string text(message);
    raw_.log(raw_.host, level, text.c_str());
  }
  void debug(std::string_view m) const { log(SMH_LOG_DEBUG, m); }
  void info(std::string_view m) const { log(SMH_LOG_INFO, m); }
  void warn(std::string_view m) const { log(SMH_LOG_WARN, m); }

  void report(const finding& f) const {
    json j = {
        {"id", f.id}, {"title", f.title}, {"current", f.current}, {"desired", f.desired}, {"automated", f.automated}};
    if (!f.severity.empty()) j["severity"] = f.severity;
    if (!f.remediation.empty()) j["remediation"] = f.remediation;
    const std::string text = j.dump();
    expect_ok(raw_.emit_finding(raw_.host, text.c_str()), "emit_finding");
  }

  void record(const change& c) const {
    const json j = {{"id", c.id}, {"description", c.description}, {"before", c.before}, {"after", c.after}};
    const std::string text = j.dump();
    expect_ok(raw_.emit_change(raw_.host, text.c_str()), "emit_change");
  }

  /// A named secret, or nullopt when none was supplied.
  std::optional<std::string> secret(std::string_view name) const {
    const std::string key(name);
    const char* value = nullptr;
    const smh_status status = raw_.get_secret(raw_.host, key.c_str(), &value);
    if (status == SMH_ERR_NOT_FOUND || value == nullptr) return std::nullopt;
    expect_ok(status, "get_secret");
    return std::string(value);
  }

  void put_secret(std::string_view name, std::string_view value) const {
    const std::string key(name);
    const std::string text(value);
    expect_ok(raw_.put_secret(raw_.host, key.c_str(), text.c_str()), "put_secret");
  }

  void progress(uint32_t done, uint32_t total, std::string_view label = {}) const {
    const std::string text(label);
    raw_.progress(raw_.host, done, total, text.c_str());
  }

  bool cancelled_requested() const { return raw_.is_cancelled(raw_.host) != 0; }
  void throw_if_cancelled() const {
    if (cancelled_requested()) throw cancelled();
  }

  /// kind: "service" or "app_pool".
  void request_restart(std::string_view kind, std::string_view name) const {
    const json j = {{"kind", std::string(kind)}, {"name", std::string(name)}};
    const std::string text = j.dump();
    expect_ok(raw_.request_restart(raw_.host, text.c_str()), "request_restart");
  }

 private:
  static json parse_or_empty(const char* text, json fallback) {
    if (text == nullptr || *text == '\0') return fallback;
    json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
    return parsed.is_discarded() ? fallback : parsed;
  }
  static void expect_ok(smh_status status, const char* what) {
    if (status != SMH_OK) throw service_error(status, what, "host", "the host refused the call");
  }

  const smh_call_context_v1& raw_;
  json params_;
  json management_cidrs_;
};

/// Base class of every C++ plugin. One instance serves one run: constructed when the run first
/// needs the plugin, destroyed when the run ends. check() and apply() are called from one thread,
/// one at a time, so members need no lock; a context is valid only during the call that received
/// it (plugin_abi.h, "Threading and lifetime").
class plugin {
 public:
  plugin() = default;
  plugin(const plugin&) = delete;
  plugin& operator=(const plugin&) = delete;
  virtual ~plugin() = default;
  /// Report findings; must not change anything (the host enforces this).
  virtual void check(context& ctx) = 0;
  /// Make the target compliant; record every change.
  virtual void apply(context& ctx) = 0;
};

namespace detail {

struct instance_box {
  std::unique_ptr<plugin> impl;
  std::string last_error;
};

inline smh_status run_guarded(smh_plugin_instance* instance, const smh_call_context_v1* raw, bool apply) noexcept {
  auto* box = reinterpret_cast<instance_box*>(instance);
  if (box == nullptr || box->impl == nullptr || raw == nullptr) return SMH_ERR_INVALID_ARGUMENT;
  try {
    box->last_error.clear();
    context ctx(*raw);
    if (apply) {
      box->impl->apply(ctx);
    } else {
      box->impl->check(ctx);
    }
    return SMH_OK;
  } catch (const cancelled& e) {
    box->last_error = e.what();
    return SMH_ERR_CANCELLED;
  } catch (const service_error& e) {
    try {
      box->last_error = e.what();
    } catch (...) {
    }
    return e.status() == SMH_ERR_REFUSED ? SMH_ERR_REFUSED : SMH_ERR_FAILED;
  } catch (const std::exception& e) {
    try {
      box->last_error = e.what();
    } catch (...) {
    }
    return SMH_ERR_FAILED;
  } catch (...) {
    box->last_error = "unknown exception in plugin";
    return SMH_ERR_FAILED;
  }
}

template <class Plugin>
smh_status create(smh_plugin_instance** out) noexcept {
  if (out == nullptr) return SMH_ERR_INVALID_ARGUMENT;
  *out = nullptr;
  std::unique_ptr<instance_box> box;
  try {
    box = std::make_unique<instance_box>();
  } catch (...) {
    return SMH_ERR_FAILED;
  }
  // A constructor that throws: the instance is still handed out, without a plugin object, so that
  // the host can read why from last_error before it destroys it (plugin_abi.h, create).
  try {
    box->impl = std::make_unique<Plugin>();
    *out = reinterpret_cast<smh_plugin_instance*>(box.release());
    return SMH_OK;
  } catch (const std::exception& e) {
    try {
      box->last_error = e.what();
    } catch (...) {
    }
  } catch (...) {
    try {
      box->last_error = "unknown exception in the plugin's constructor";
    } catch (...) {
    }
  }
  *out = reinterpret_cast<smh_plugin_instance*>(box.release());
  return SMH_ERR_FAILED;
}

inline smh_status check(smh_plugin_instance* i, const smh_call_context_v1* c) noexcept {
  return run_guarded(i, c, false);
}
inline smh_status apply(smh_plugin_instance* i, const smh_call_context_v1* c) noexcept {
  return run_guarded(i, c, true);
}
inline const char* last_error(smh_plugin_instance* i) noexcept {
  auto* box = reinterpret_cast<instance_box*>(i);
  return box == nullptr ? "" : box->last_error.c_str();
}
inline void destroy(smh_plugin_instance* i) noexcept { delete reinterpret_cast<instance_box*>(i); }

template <class Plugin>
const smh_plugin_v1* table(const char* manifest_json) noexcept {
  static_assert(std::is_base_of<plugin, Plugin>::value, "SMHARDEN_PLUGIN: the class must derive from smharden::plugin");
  static_assert(std::is_default_constructible<Plugin>::value, "SMHARDEN_PLUGIN: the class needs a default constructor");
  static const smh_plugin_v1 t = {
      sizeof(smh_plugin_v1), SMH_ABI_MAJOR,  SMH_ABI_MINOR,  0,           manifest_json,
      &create<Plugin>,       &detail::check, &detail::apply, &last_error, &destroy,
  };
  return &t;
}

}  // namespace detail
}  // namespace abi_v1
}  // namespace smharden

/// Exports the ABI-1 entry point for PluginClass. manifest: a `const char*`
/// with static storage (smharden_add_plugin() generates `smharden_manifest_json`).
#define SMHARDEN_PLUGIN(PluginClass, manifest)                          \
  extern "C" SMH_EXPORT const smh_plugin_v1* smharden_plugin_v1(void);  \
  extern "C" SMH_EXPORT const smh_plugin_v1* smharden_plugin_v1(void) { \
    return ::smharden::detail::table<PluginClass>(manifest);            \
  }

#endif  // SMHARDEN_PLUGIN_HPP
