// The profile's "access" block: who must keep which access to the server.
//   "access": {"management": [...], "webmail_users": [...], "mail_clients": [...],
//              "relay_apps": [{"address": "198.51.100.10", "name": "CRM"}]}
// Every key is optional; along an extends chain a file's key replaces the
// same key of the profile it extends.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "profile/profile.hpp"

namespace smharden::core {

/// Checks the shape of `block` (the value of "access" in `file`); throws
/// profile_error naming the file and JSON pointer of the first problem.
void check_access_block(const std::string& file, const ordered_json& block);

/// Sets in `into` every key `block` gives (an already checked block).
void merge_access_block(access_audiences& into, const ordered_json& block);

/// The audiences as guard.access.audiences returns them: every key present,
/// "management" being `management` (the union with management_cidrs).
nlohmann::json audiences_json(const access_audiences& access, const std::vector<std::string>& management);

}  // namespace smharden::core
