// Service password rotation (`apply --rotate-service-password`): one new
// password on the service user (accounts), the SmarterMail service's logon
// (service) and the IIS app pool (iis-identity), in one run.
//
// Crash consistency is "complete forward": before the first of the three
// changes the host writes the new password to a pending-rotation file in the
// state folder (owner-only; DPAPI-protected on Windows) and journals
// rotation_start. Each of the three sets is idempotent, so whatever point a run
// dies at, the next `apply --rotate-service-password` reuses the pending
// password, sets all three again, journals rotation_end and removes the file.
// The old password is never known, so a rotation is never rolled back: rollback
// keeps the three changes and says so. See docs/safety.md.
#pragma once

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "run/run_plan.hpp"
#include "services/service_registry.hpp"

namespace smharden::core::rotation {

inline constexpr const char* cli_flag = "--rotate-service-password";
/// The finding id the three steps report while a rotation is requested and their part is not done.
inline constexpr const char* finding_id = "password-rotation";
/// The run's method the steps ask (read-only).
inline constexpr const char* status_method = "run.rotation.status";

/// What one rotation covers, decided from the plan before anything runs.
struct scope {
  std::string secret;              ///< the secret name the three steps read the password from
  std::vector<std::string> steps;  ///< the rotation's steps the profile has, in run order (accounts first)
  std::size_t password_length = 24;
};

/// The rotation's steps of `plan`. Throws usage_error when the profile has no accounts step, when
/// one of the rotation's steps in the profile is not selected (a partial rotation would leave the
/// user, the service and the app pool with different passwords), or when they name different
/// password secrets.
scope scope_of(const run_plan& plan);

/// True for a mutation that carried the rotated password (kept by rollback): windows.user.set_password
/// and windows.user.create by accounts, windows.service.set_logon by service, iis.app_pool.set_identity
/// by iis-identity.
bool carries_password(const std::string& step, const std::string& method);

/// The rotation a run started and has not finished.
struct pending {
  std::string run_id;  ///< the run that started it
  std::string secret;
  std::string password;
  std::string started_at;
};

std::filesystem::path pending_file(const std::filesystem::path& state_dir);
/// nullopt when no rotation is pending; throws runtime_error for a file that cannot be read back.
std::optional<pending> read_pending(const std::filesystem::path& state_dir);
/// Atomic and owner-only (0600 on POSIX, created so; DPAPI-protected on Windows).
void write_pending(const std::filesystem::path& state_dir, const pending& p);
void remove_pending(const std::filesystem::path& state_dir);

/// What an apply without the flag is told while a rotation is pending (it is refused).
std::string pending_refusal(const pending& p);

/// Adds run.rotation.status: `{requested, password_secret}` for the step that asks. `status` answers
/// for the calling step.
void register_status_method(services::registry& methods, std::function<nlohmann::json()> status);

}  // namespace smharden::core::rotation
