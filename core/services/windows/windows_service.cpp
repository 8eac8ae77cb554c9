#include "services/windows/windows_service.hpp"

#include <fmt/format.h>
#include <smharden/common/secret_env_name.hpp>

#include <cctype>
#include <utility>

#include "base/atomic_file.hpp"
#include "services/windows/lab_backend.hpp"
#include "services/windows/lab_firewall.hpp"
#include "services/windows/windows_method_support.hpp"

namespace smharden::services::windows {
std::string previous_secret_name(const std::string& what, const std::string& object) {
  std::string out = "previous_" + what + "_";
  for (const char c : object) {
    out += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                                                       : '_';
  }
  return out;
}

windows_service::windows_service(std::unique_ptr<windows_backend> backend, service_env& env,
                                 std::string unavailable_reason, std::unique_ptr<firewall_backend> firewall)
    : backend_(std::move(backend)),
      firewall_(std::move(firewall)),
      env_(env),
      unavailable_reason_(std::move(unavailable_reason)) {}

firewall_backend& windows_service::firewall() const {
  if (!firewall_) {
    throw service_error("unavailable", unavailable_reason_.empty() ? "no Windows Firewall backend for this target"
                                                                   : unavailable_reason_);
  }
  return *firewall_;
}

windows_backend& windows_service::backend() const {
  if (!backend_) {
    throw service_error("unavailable",
                        unavailable_reason_.empty() ? "no Windows backend for this target" : unavailable_reason_);
  }
  return *backend_;
}

std::string windows_service::resolve_secret(const std::string& secret_name, const char* method) const {
  std::optional<std::string> value = env_.secret ? env_.secret(secret_name) : std::nullopt;
  if (!value) {
    throw service_error("invalid_params",
                        fmt::format("{}: the secret \"{}\" was not supplied (set the environment variable {} or put "
                                    "it in a --secret-file)",
                                    method, secret_name, common::secret_env_name(secret_name)));
  }
  return *value;
}

void windows_service::register_methods(registry& r) {
  add_methods(r, *this, account_methods());
  add_methods(r, *this, rights_and_acl_methods());
  add_methods(r, *this, service_methods());
  add_methods(r, *this, firewall_methods());
}

std::unique_ptr<service> make_windows_service(const target& t, service_env& env) {
  const auto state_file = t.root / "windows" / "state.json";
  switch (t.kind) {
    case target_kind::lab: {
      lab_backend::options o;
      o.state_file = state_file;
      o.writable = true;
      o.before_write = env.before_file_write;
      o.after_write = env.file_written;
      o.missing_hint = fmt::format("create the lab with `smharden lab init {}`", t.root.string());
      auto firewall = std::make_unique<lab_firewall>(t.root / "windows" / "firewall.json", true, env.before_file_write,
                                                     env.file_written);
      return std::make_unique<windows_service>(std::make_unique<lab_backend>(std::move(o)), env, std::string(),
                                               std::move(firewall));
    }
    case target_kind::offline: {
      if (!std::filesystem::exists(state_file)) {
        return std::make_unique<windows_service>(
            nullptr, env,
            fmt::format("the offline target {} has no windows/state.json: users, rights, folder ACLs and services "
                        "cannot be read from a copy of config files",
                        t.root.string()));
      }
      lab_backend::options o;
      o.state_file = state_file;
      o.writable = false;
      auto firewall = std::make_unique<lab_firewall>(t.root / "windows" / "firewall.json", false, nullptr, nullptr);
      return std::make_unique<windows_service>(std::make_unique<lab_backend>(std::move(o)), env, std::string(),
                                               std::move(firewall));
    }
    case target_kind::local:
#ifdef _WIN32
      return std::make_unique<windows_service>(make_win32_backend(), env, std::string(), make_win32_firewall_backend());
#else
      return std::make_unique<windows_service>(
          nullptr, env, "the local target needs Windows (this build is not for Windows); use --target lab:DIR");
#endif
  }
  return std::make_unique<windows_service>(nullptr, env, "unknown target kind");
}

void seed_windows_lab(const std::filesystem::path& dir) {
  std::filesystem::create_directories(dir / "windows");
  util::write_file_atomic(dir / "windows" / "state.json", lab_backend::serialize(lab_backend::fresh_state()));
  util::write_file_atomic(dir / "windows" / "firewall.json", lab_firewall::serialize(lab_firewall::fresh_rules()));
}

}  // namespace smharden::services::windows
