// The `windows` service: publishes the windows.* methods (users, groups,
// rights, folder ACLs, services, random passwords) over one windows_backend,
// with the undo record of every mutating method. Passwords never travel in
// params (params are journaled): callers name a secret ("password_secret")
// and the service reads it through service_env::secret.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "services/service.hpp"
#include "services/windows/firewall_backend.hpp"
#include "services/windows/windows_backend.hpp"

namespace smharden::services::windows {

class windows_service final : public service {
 public:
  /// `backend` may be null: every method then answers service_error("unavailable", unavailable_reason).
  windows_service(std::unique_ptr<windows_backend> backend, service_env& env, std::string unavailable_reason = {},
                  std::unique_ptr<firewall_backend> firewall = nullptr);

  std::string name() const override { return "windows"; }
  void register_methods(registry& r) override;

  /// The backend, or service_error("unavailable") when this target has none.
  windows_backend& backend() const;
  /// The firewall backend, or service_error("unavailable") when this target has none.
  firewall_backend& firewall() const;
  /// The value of the secret named `secret_name`, or service_error("invalid_params") naming its variable.
  std::string resolve_secret(const std::string& secret_name, const char* method) const;

 private:
  std::unique_ptr<windows_backend> backend_;
  std::unique_ptr<firewall_backend> firewall_;
  service_env& env_;
  std::string unavailable_reason_;
};

/// The windows service for `t`: the lab backend for lab targets, the Win32
/// backend for `local` on Windows, a read-only lab backend over
/// `<root>/windows/state.json` for offline targets (unavailable when absent).
std::unique_ptr<service> make_windows_service(const target& t, service_env& env);

/// Writes `<dir>/windows/state.json` (a fresh SmarterMail install) and `<dir>/windows/firewall.json` (its firewall).
void seed_windows_lab(const std::filesystem::path& dir);

/// Secret name under which a rollback expects a password smharden cannot read
/// back, e.g. previous_secret_name("service_password", "SmarterMail") == "previous_service_password_smartermail".
std::string previous_secret_name(const std::string& what, const std::string& object);

}  // namespace smharden::services::windows
