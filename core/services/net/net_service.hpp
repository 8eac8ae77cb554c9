// The `net` service: an HTTP status probe (`net.http.probe`) and the lockout
// guard (`guard.management_access.check`), which plugins call before they
// apply an IP allow-list, to prove the profile's management ranges stay
// allowed. Both are read-only.
#pragma once

#include <memory>

#include "services/service.hpp"

namespace smharden::services {

/// The net service for a run; reads env.management_cidrs, env.allow_lockout_risk
/// and reports overrides through env.record_override.
std::unique_ptr<service> make_net_service(const target& t, service_env& env);

namespace net {

/// The body of guard.management_access.check (see docs/safety.md):
/// params {"allow": [...], "deny": [...]} or {"rules": [{"range", "action"}]},
/// "default": "allow|deny" (deny when absent), optional "management_cidrs"
/// (else the profile's) and "what" (named in messages). Returns
/// {"ok", "excluded": [{"range", "reason"}], "overridden", "management_cidrs", "message"}.
json check_management_access(const json& params, const std::vector<std::string>& profile_cidrs,
                             bool allow_lockout_risk);

}  // namespace net
}  // namespace smharden::services
