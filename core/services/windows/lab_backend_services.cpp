// The lab backend's services: logon account, stop and start as the SCM does them.
#include "services/windows/lab_backend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <smharden/common/account_names.hpp>

#include "services/windows/lab_backend_support.hpp"

namespace smharden::services::windows {

using namespace lab;

std::optional<service_info> lab_backend::get_service(const std::string& name) const {
  json& s = state();
  const std::string key = key_ci(s["services"], name);
  if (key.empty()) return std::nullopt;
  const json& j = s["services"][key];
  service_info info;
  info.name = key;
  info.display_name = j.value("display_name", key);
  info.account = j["account"].get<std::string>();
  info.binary_path = j.value("binary_path", "");
  info.state = parse_state(j.value("state", "stopped"));
  info.start_type = parse_start_type(j.value("start_type", "demand"));
  return info;
}

std::vector<std::string> lab_backend::service_names() const {
  std::vector<std::string> out;
  for (const auto& [name, svc] : state()["services"].items()) out.push_back(name);
  return out;
}

void lab_backend::set_service_logon(const std::string& name, const std::string& account,
                                    const std::optional<std::string>& password) {
  require_writable("set service logon");
  const auto info = get_service(name);
  if (!info) fail("not_found", fmt::format("no service {} (ERROR_SERVICE_DOES_NOT_EXIST 1060)", name));
  const bool passwordless = common::is_passwordless_service_account(account);
  if (!passwordless && !get_user(account)) {
    fail("not_found", fmt::format("{} is not a local account the service can log on as "
                                  "(ERROR_INVALID_SERVICE_ACCOUNT 1057)",
                                  account));
  }
  json& s = state();
  json& j = s["services"][info->name];
  j["account"] = account;
  if (passwordless) {
    j["password"] = nullptr;
  } else if (password) {
    const auto user = get_user(account);
    j["password"] = password_hash(*password, salt_of(s["users"][user->name].value("password", json())));
  }
  save();
}

void lab_backend::stop_service(const std::string& name) {
  require_writable("stop service");
  const auto info = get_service(name);
  if (!info) fail("not_found", fmt::format("no service {} (ERROR_SERVICE_DOES_NOT_EXIST 1060)", name));
  if (info->state == service_state::stopped) return;
  state()["services"][info->name]["state"] = to_string(service_state::stopped);
  save();
}

void lab_backend::start_service(const std::string& name) {
  require_writable("start service");
  const auto info = get_service(name);
  if (!info) fail("not_found", fmt::format("no service {} (ERROR_SERVICE_DOES_NOT_EXIST 1060)", name));
  if (info->state == service_state::running) return;
  if (info->start_type == service_start_type::disabled) {
    fail("failed", fmt::format("the service {} is disabled (ERROR_SERVICE_DISABLED 1058)", name));
  }
  const json& j = state()["services"][info->name];
  if (!common::is_passwordless_service_account(info->account)) {
    // What the SCM checks when it logs the service on (LOGON32_LOGON_SERVICE).
    const auto user = get_user(info->account);
    const auto logon_failed = [&](const std::string& why) {
      fail("failed", fmt::format("the service {} could not log on as {}: {} (ERROR_SERVICE_LOGON_FAILED 1069)", name,
                                 info->account, why));
    };
    if (!user) logon_failed("no such user");
    if ((user->flags & user_flag::account_disabled) != 0) logon_failed("the account is disabled");
    if (user->password_expired) logon_failed("the password has expired (must change at next logon)");
    std::vector<std::string> held = account_rights(user->sid);
    for (const auto& group : user_groups(user->name)) {
      for (auto& r : account_rights("BUILTIN\\" + group)) held.push_back(std::move(r));
    }
    const auto has = [&](const char* right) { return std::find(held.begin(), held.end(), right) != held.end(); };
    if (has(deny_service_logon_right)) logon_failed("the account holds SeDenyServiceLogonRight");
    if (!has(service_logon_right)) logon_failed("the account lacks SeServiceLogonRight (Log on as a service)");
    if (!same_password_hash(j.value("password", json()), state()["users"][user->name].value("password", json()))) {
      logon_failed("the service's stored password is not the account's password");
    }
  }
  state()["services"][info->name]["state"] = to_string(service_state::running);
  save();
}

}  // namespace smharden::services::windows
