// sm-admin policy (pure): every system administrator has two-factor
// authentication and "restrict login access by IP" on with the profile's
// rules, and those rules never shut out the profile's management_cidrs.
#pragma once

#include <smharden/plugin.hpp>

#include <string>
#include <vector>

namespace smharden::sm_admin {

struct security_change {
  std::string username;
  json params;  ///< for smartermail.admin.security.set
  json before;  ///< {restrict_login_by_ip, ip_rules}
};

struct plan {
  std::vector<finding> findings;
  std::vector<security_change> changes;
  /// Non-empty: restricting login by IP would be unsafe or is not configured;
  /// apply must make no IP-restriction change and fail with this text.
  std::string refusal;
};

/// The rules to enforce: params.ip_rules, or one rule per management range when empty
/// (`management_cidrs` is the management audience: the profile's access.management and management_cidrs).
json effective_rules(const json& params, const json& management_cidrs);

/// The params for the host's lockout guard (guard.management_access.check) for `rules`.
json guard_request(const json& rules);

/// `admins` is the answer of smartermail.admins.list. `guard` is the answer
/// of guard.management_access.check for guard_request(effective_rules(...));
/// when null, the same coverage check runs here (no --allow-lockout-risk).
plan make_plan(const json& admins, const json& params, const json& management_cidrs, const json& guard = nullptr);

/// The enrolment steps an operator follows for an admin without 2FA.
std::string two_factor_remediation(const std::string& username);

/// The guide's recovery when an administrator's authenticator is lost.
std::string lost_authenticator_recovery();

}  // namespace smharden::sm_admin
