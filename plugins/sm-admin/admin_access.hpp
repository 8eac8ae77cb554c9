// What the administrators' "restrict login access by IP" lets through to the
// admin login, before and after a plan, in the form of the host's
// guard.access.check. Someone reaches the admin login from an address when at
// least one administrator may sign in from it.
#pragma once

#include <smharden/plugin.hpp>

#include "admin_policy.hpp"

namespace smharden::sm_admin {

/// guard.access.check's policy for the admins of smartermail.admins.list (or those a plan leaves).
json login_reach_policy(const json& admins);

/// The admins as `p` leaves them (its changes applied to `admins`).
json admins_after(const json& admins, const plan& p);

/// The params for guard.access.check: admin_login, before = `admins`, after = admins_after.
json access_request(const json& admins, const plan& p);

}  // namespace smharden::sm_admin
