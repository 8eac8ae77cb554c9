// iis-ip policy (pure): the SmarterMail site's ipSecurity (allow/deny
// entries, the default for unlisted addresses, denyAction) and
// dynamicIpSecurity (concurrent-request and request-rate limits,
// logging-only mode) against the profile, plus the lockout guard.
#pragma once

#include <smharden/plugin.hpp>

#include <optional>
#include <string>
#include <vector>

namespace smharden::iis_ip {

struct plan {
  std::vector<finding> findings;
  /// Why apply must refuse (the lockout guard); empty when safe.
  std::vector<std::string> refusals;
  /// The IP and Domain Restrictions role service is missing: nothing can be applied.
  bool feature_missing = false;
  /// Params for iis.ip_security.set / iis.dynamic_ip_security.set (without "site"), when a change is needed.
  std::optional<json> ip_security_set;
  std::optional<json> dynamic_set;
  /// With ip_security_set: the params for the host's guard.management_access.check
  /// (ordered rules and the default), which honours --allow-lockout-risk.
  json guard_request;
  /// The params for the host's guard.access.check: what the site's IP restrictions let through to every
  /// surface the site serves, now and after apply (null when the feature is missing).
  json access_request;
  std::vector<change> changes;
};

/// The EAS/MAPI warning attached to a default-deny finding.
extern const char* const eas_mapi_warning;

/// The warning about NAT offices and EAS phones attached to the findings that enforce dynamic IP limits.
extern const char* const dynamic_limits_warning;

/// dynamic.sized_for defaults: what one client (a browser on webmail, a phone on Exchange ActiveSync, an
/// Outlook profile) is taken to hold open and send when the profile does not say.
inline constexpr long long default_concurrent_per_client = 2;
inline constexpr long long default_requests_per_second = 20;

/// Enforced dynamic limits (not logging-only) are planned only when dynamic.sized_for shows that they let
/// `clients_per_address` clients behind one address through; otherwise their findings are manual
/// (automated: false) with the reason and the NAT/EAS warning, and apply leaves dynamicIpSecurity alone.
/// `modules`, `ip_current`, `dynamic_current`: answers of iis.modules.get,
/// iis.ip_security.get and iis.dynamic_ip_security.get. Throws
/// std::invalid_argument naming the param for an address that does not parse.
plan make_plan(const json& params, const json& management_cidrs, const json& modules, const json& ip_current,
               const json& dynamic_current);

}  // namespace smharden::iis_ip
