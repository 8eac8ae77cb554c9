// The lockout guard: plugins that write an IP allow-list (IIS IP
// restrictions, SmarterMail login-by-IP) call guard.management_access.check
// with the rules they are about to apply, and the run proves (with the common
// library's access proof) that every management range of the profile stays
// allowed. It is policy, so the run provides it, not a service.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <smharden/common/access_proof.hpp>
#include <string>
#include <vector>

#include "run/access_matrix.hpp"
#include "services/service_registry.hpp"

namespace smharden::core {

struct access_guard_settings {
  std::vector<std::string>
      management_cidrs;             ///< the profile's management audience (management_cidrs + access.management)
  bool allow_lockout_risk = false;  ///< --allow-lockout-risk: report exclusions but let the apply go on
  /// Records an override in the run's report (and its audit log).
  std::function<void(const std::string&)> record_override;
  /// What guard.access.audiences returns (audiences_json of the profile); a missing key reads as [].
  nlohmann::json audiences = nlohmann::json::object();
  /// guard.access.check: an apply refuses an access loss; a check only reports what apply would refuse.
  bool enforce = false;
  bool allow_access_change = false;  ///< --allow-access-change: report losses but let the apply go on
  /// Where guard.access.check records what each layer allows (the run's; nullptr: a matrix of the call's own).
  access_matrix* matrix = nullptr;
  /// The step running now (names the layer when the params do not).
  std::function<std::string()> current_step{};
  /// Check mode: records "apply would refuse: ..." for the report's notices.
  std::function<void(const std::string&)> notice{};
};

/// The ordered rules of {"rules": [{range, action}]} or the {"allow", "deny"} lists (deny wins),
/// and "default" (deny when absent). Throws service_error "invalid_params" naming the bad entry.
common::access_policy access_policy_from_params(const nlohmann::json& params);

/// The body of guard.access.check (see docs/safety.md): params {"step"?, "what"?, "surfaces":
/// {"<surface>": {"before": <policy>, "after": <policy>}}}, a policy being access_policy_from_params'
/// params or {"unknown": "why"}. Records every cell in `matrix` and returns {"ok", "overridden", "losses":
/// [{"audience", "surface", "ranges", "reasons"}], "cells", "message"}.
nlohmann::json check_surface_access(const nlohmann::json& params, access_matrix& matrix,
                                    const access_guard_settings& settings);

/// The body of guard.management_access.check (see docs/safety.md):
/// params {"allow": [...], "deny": [...]} or {"rules": [{"range", "action"}]},
/// "default": "allow|deny" (deny when absent), optional "management_cidrs"
/// (else the profile's) and "what" (named in messages). Returns
/// {"ok", "excluded": [{"range", "reason"}], "overridden", "management_cidrs", "message"}.
nlohmann::json check_management_access(const nlohmann::json& params, const std::vector<std::string>& profile_cidrs,
                                       bool allow_lockout_risk);

/// Adds guard.management_access.check, guard.access.audiences and guard.access.check to a run's methods.
void register_access_guard(services::registry& methods, access_guard_settings settings);

}  // namespace smharden::core
