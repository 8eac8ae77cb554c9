// accounts policy (pure): what is wrong with the service user and the
// windows.* calls that fix it. No password ever appears in a plan.
#pragma once

#include <smharden/plugin.hpp>

#include <string>
#include <vector>

namespace smharden::accounts {

struct planned_call {
  std::string method;
  json params;
};

struct plan {
  std::vector<finding> findings;
  /// The user must be created (apply supplies or generates the password first).
  bool create_user = false;
  /// A password rotation asks for the existing user's password to be set (from the rotation's secret).
  bool set_password = false;
  /// Calls for an existing user, in order.
  std::vector<planned_call> calls;
  std::vector<change> changes;
};

/// `user`: windows.user.get's answer for params.user_name. `rotation_requested`: run.rotation.status
/// says a password rotation (--rotate-service-password) is requested for this step.
plan make_plan(const json& params, const json& user, bool rotation_requested = false);

/// The finding a step reports while a rotation is requested and its part is not done.
finding rotation_finding(const std::string& what, const std::string& secret);

/// Params with every default filled in (the host validates and fills them too;
/// this keeps the policy usable from tests without the host).
json with_defaults(const json& params);

}  // namespace smharden::accounts
