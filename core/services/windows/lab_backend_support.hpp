// What the parts of the lab Windows backend share: error helper, password
// hashes, case-insensitive keys, and the state file's forms of service states
// and ACEs.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "services/windows/windows_types.hpp"

namespace smharden::services::windows::lab {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& code, const std::string& message);

/// The salt of a stored password hash, or a fresh random one. A user keeps one salt for its life,
/// and a service's logon password is hashed with its account's salt, so the SCM check "is this the
/// user's password" is a comparison of two hashes.
std::string salt_of(const json& stored);
json password_hash(const std::string& password, const std::string& salt);
bool same_password_hash(const json& a, const json& b);

/// Windows paths compare case-insensitively, with either slash, without a trailing one.
std::string normalize_path(const std::string& path);
/// The member of `object` whose key equals `key` case-insensitively, or nullptr.
json* find_ci(json& object, const std::string& key);
/// That member's key as stored, or "".
std::string key_ci(const json& object, const std::string& key);

service_state parse_state(const std::string& s);
service_start_type parse_start_type(const std::string& s);
json ace_to_state(const ace& a);
ace ace_from_state(const json& j);

}  // namespace smharden::services::windows::lab
