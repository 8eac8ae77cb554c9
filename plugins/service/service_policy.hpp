// service policy (pure): does the SmarterMail service log on as the service
// user, and what apply needs to make it so.
#pragma once

#include <smharden/plugin.hpp>

#include <optional>
#include <string>
#include <vector>

namespace smharden::service_step {

struct observed {
  json service;                     ///< windows.service.get
  json current_account;             ///< windows.account.lookup of service.account ({} when the service is missing)
  json desired_account;             ///< windows.account.lookup of user_name
  bool password_available = false;  ///< the password secret exists now
  json located;                     ///< windows.smartermail.locate when service_name was empty, else null
  bool rotation_requested = false;  ///< run.rotation.status: a password rotation wants this step's part
};

struct plan {
  std::vector<finding> findings;
  /// Params for windows.service.set_logon when a change is needed.
  std::optional<json> set_logon;
  std::vector<change> changes;
};

json with_defaults(const json& params);

/// params with an empty service_name set to the detected one (`located`: windows.smartermail.locate);
/// left empty when nothing (or more than one service) was detected.
json resolve_service_name(const json& params, const json& located);

/// ".\user" for a local user name.
std::string logon_name(const json& params);

plan make_plan(const json& params, const observed& o);

/// The message that tells an operator how to supply the password secret.
std::string how_to_supply(const std::string& secret, const std::string& user);

}  // namespace smharden::service_step
