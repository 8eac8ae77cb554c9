// The lab backend's local users and groups.
#include "services/windows/lab_backend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <smharden/common/account_names.hpp>

#include "services/windows/lab_backend_support.hpp"

namespace smharden::services::windows {
namespace {

using namespace lab;

// A Windows-like default policy: at least 8 characters from 3 of the 4 classes.
bool meets_password_policy(const std::string& password) {
  if (password.size() < 8) return false;
  int upper = 0, lower = 0, digit = 0, other = 0;
  for (const char c : password) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isupper(u)) {
      upper = 1;
    } else if (std::islower(u)) {
      lower = 1;
    } else if (std::isdigit(u)) {
      digit = 1;
    } else {
      other = 1;
    }
  }
  return upper + lower + digit + other >= 3;
}

void validate_user_name(const std::string& name) {
  static constexpr std::string_view forbidden = "\"/\\[]:;|=,+*?<>@";
  if (name.empty() || name.size() > 20 || name.find_first_of(forbidden) != std::string::npos ||
      name.find_first_not_of(" .") == std::string::npos) {
    fail("invalid_params",
         fmt::format("\"{}\" is not a valid local user name (1-20 characters, none of \"/\\[]:;|=,+*?<>@, not only "
                     "dots or spaces) (NERR_BadUsername 2202)",
                     name));
  }
}

}  // namespace

std::optional<user_info> lab_backend::get_user(const std::string& name) const {
  json& s = state();
  const common::account_name parsed = common::parse_account_name(name);
  if (!parsed.domain.empty() && !common::is_local_domain(parsed.domain, s["computer_name"].get<std::string>())) {
    return std::nullopt;
  }
  const std::string key = key_ci(s["users"], parsed.name);
  if (key.empty()) return std::nullopt;
  const json& u = s["users"][key];
  user_info info;
  info.name = key;
  info.sid = u["sid"].get<std::string>();
  info.description = u.value("description", "");
  info.full_name = u.value("full_name", "");
  info.flags = u["flags"].get<std::uint32_t>();
  info.password_expired = u.value("password_expired", false);
  return info;
}

void lab_backend::create_user(const new_user& user) {
  require_writable("create user");
  json& s = state();
  validate_user_name(user.name);
  if (!key_ci(s["users"], user.name).empty() || !key_ci(s["groups"], user.name).empty()) {
    fail("conflict", fmt::format("the account {} already exists (NERR_UserExists 2224)", user.name));
  }
  if (!meets_password_policy(user.password)) {
    fail("invalid_params",
         fmt::format("the password for {} does not meet the password policy (NERR_PasswordTooShort 2245)", user.name));
  }
  const auto rid = s["next_rid"].get<std::uint64_t>();
  const std::string sid = fmt::format("{}-{}", s["machine_sid"].get<std::string>(), rid);
  s["next_rid"] = rid + 1;
  s["users"][user.name] = {{"sid", sid},
                           {"description", user.description},
                           {"full_name", ""},
                           {"flags", user.flags | user_flag::script},
                           {"password_expired", user.password_expired},
                           {"password", password_hash(user.password, salt_of(json()))}};
  // Windows puts every new local user in Users.
  if (json* users = find_ci(s["groups"], "Users")) (*users)["members"].push_back(sid);
  save();
}

void lab_backend::update_user(const std::string& name, const user_update& update) {
  require_writable("update user");
  const auto info = get_user(name);
  if (!info) fail("not_found", fmt::format("no local user {} (NERR_UserNotFound 2221)", name));
  json& u = state()["users"][info->name];
  if (update.flags) u["flags"] = *update.flags | user_flag::script;
  if (update.description) u["description"] = *update.description;
  if (update.password_expired) u["password_expired"] = *update.password_expired;
  save();
}

void lab_backend::set_password(const std::string& name, const std::string& password) {
  require_writable("set password");
  const auto info = get_user(name);
  if (!info) fail("not_found", fmt::format("no local user {} (NERR_UserNotFound 2221)", name));
  if (!meets_password_policy(password)) {
    fail("invalid_params",
         fmt::format("the password for {} does not meet the password policy (NERR_PasswordTooShort 2245)", name));
  }
  json& u = state()["users"][info->name];
  u["password"] = password_hash(password, salt_of(u.value("password", json())));
  save();
}

void lab_backend::delete_user(const std::string& name) {
  require_writable("delete user");
  const auto info = get_user(name);
  if (!info) fail("not_found", fmt::format("no local user {} (NERR_UserNotFound 2221)", name));
  json& s = state();
  for (auto& [group, g] : s["groups"].items()) {
    auto& members = g["members"];
    members.erase(std::remove_if(members.begin(), members.end(),
                                 [&](const json& m) { return common::iequals(m.get<std::string>(), info->sid); }),
                  members.end());
  }
  // Like Windows, the user's rights and ACEs stay behind as orphaned SIDs.
  s["users"].erase(info->name);
  save();
}

std::vector<std::string> lab_backend::group_members(const std::string& group) const {
  json& s = state();
  const common::account_name parsed = common::parse_account_name(group);
  const json* g = find_ci(s["groups"], parsed.name);
  if (g == nullptr) fail("not_found", fmt::format("no local group {} (NERR_GroupNotFound 2220)", group));
  std::vector<std::string> out;
  for (const auto& m : (*g)["members"]) {
    const auto sid = m.get<std::string>();
    const auto ref = lookup_account(sid);
    out.push_back(ref ? (ref->domain.empty() ? ref->name : ref->domain + "\\" + ref->name) : sid);
  }
  return out;
}

std::vector<std::string> lab_backend::user_groups(const std::string& user) const {
  const auto info = get_user(user);
  if (!info) fail("not_found", fmt::format("no local user {} (NERR_UserNotFound 2221)", user));
  std::vector<std::string> out;
  for (const auto& [name, g] : state()["groups"].items()) {
    for (const auto& m : g["members"]) {
      if (common::iequals(m.get<std::string>(), info->sid)) out.push_back(name);
    }
  }
  return out;
}

void lab_backend::add_group_member(const std::string& group, const std::string& account) {
  require_writable("add group member");
  json* g = find_ci(state()["groups"], common::parse_account_name(group).name);
  if (g == nullptr) fail("not_found", fmt::format("no local group {} (NERR_GroupNotFound 2220)", group));
  const auto ref = lookup_account(account);
  if (!ref) fail("not_found", fmt::format("the account {} does not exist (ERROR_NO_SUCH_MEMBER 1387)", account));
  for (const auto& m : (*g)["members"]) {
    if (common::iequals(m.get<std::string>(), ref->sid)) {
      fail("conflict", fmt::format("{} is already in {} (ERROR_MEMBER_IN_ALIAS 1378)", account, group));
    }
  }
  (*g)["members"].push_back(ref->sid);
  save();
}

void lab_backend::remove_group_member(const std::string& group, const std::string& account) {
  require_writable("remove group member");
  json* g = find_ci(state()["groups"], common::parse_account_name(group).name);
  if (g == nullptr) fail("not_found", fmt::format("no local group {} (NERR_GroupNotFound 2220)", group));
  const auto ref = lookup_account(account);
  const std::string sid = ref ? ref->sid : account;
  auto& members = (*g)["members"];
  const auto it = std::find_if(members.begin(), members.end(),
                               [&](const json& m) { return common::iequals(m.get<std::string>(), sid); });
  if (it == members.end()) {
    fail("not_found", fmt::format("{} is not in {} (ERROR_MEMBER_NOT_IN_ALIAS 1377)", account, group));
  }
  members.erase(it);
  save();
}

}  // namespace smharden::services::windows
