// The lockout guard: plugins that write an IP allow-list (IIS IP
// restrictions, SmarterMail login-by-IP) call guard.management_access.check
// with the rules they are about to apply, and the run proves (with the common
// library's access proof) that every management range of the profile stays
// allowed. It is policy, so the run provides it, not a service.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "services/service_registry.hpp"

namespace smharden::core {

struct access_guard_settings {
  std::vector<std::string> management_cidrs;  ///< the profile's
  bool allow_lockout_risk = false;            ///< --allow-lockout-risk: report exclusions but let the apply go on
  /// Records an override in the run's report (and its audit log).
  std::function<void(const std::string&)> record_override;
};

/// The body of guard.management_access.check (see docs/safety.md):
/// params {"allow": [...], "deny": [...]} or {"rules": [{"range", "action"}]},
/// "default": "allow|deny" (deny when absent), optional "management_cidrs"
/// (else the profile's) and "what" (named in messages). Returns
/// {"ok", "excluded": [{"range", "reason"}], "overridden", "management_cidrs", "message"}.
nlohmann::json check_management_access(const nlohmann::json& params, const std::vector<std::string>& profile_cidrs,
                                       bool allow_lockout_risk);

/// Adds guard.management_access.check to a run's methods.
void register_access_guard(services::registry& methods, access_guard_settings settings);

}  // namespace smharden::core
