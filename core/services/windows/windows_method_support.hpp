// What the windows.* method functions share: param checks (unknown keys and
// passwords refused), the JSON shapes of users, ACEs and services, and the
// three method tables windows_service registers.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "services/method_table.hpp"
#include "services/windows/windows_service.hpp"

namespace smharden::services::windows {

/// Refuses params that are not an object, carry a password value, or hold a key not in `allowed`.
void check_params(const json& params, const std::string& method, std::initializer_list<const char*> allowed);
std::optional<std::uint64_t> opt_uint(const json& p, const char* key);

/// One call of an undo record: {"method", "params"}.
json call(const std::string& method, json params);

json user_to_json(const user_info& u, const std::vector<std::string>& groups);
json ace_to_json(const ace& a);
json service_to_json(const service_info& s);
/// The params that make windows.acl.grant re-create `a`.
json grant_params_for(const std::string& path, const ace& a);
/// The ACE windows.acl.grant's params describe: {trustee, rights | mask, inheritance?, type?}.
ace ace_from_params(const json& p, const std::string& method);
/// Refuses a name that is not an account right or privilege (Se...Right, Se...Privilege).
void validate_right_name(const std::string& right, const std::string& method);

/// windows.account.*, windows.user.*, windows.groups.*
std::span<const method_entry<windows_service>> account_methods();
/// windows.rights.*, windows.acl.*
std::span<const method_entry<windows_service>> rights_and_acl_methods();
/// windows.service.*, windows.random.password
std::span<const method_entry<windows_service>> service_methods();
/// windows.firewall.rules.*
std::span<const method_entry<windows_service>> firewall_methods();

}  // namespace smharden::services::windows
