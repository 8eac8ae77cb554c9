// Local users and local group membership: NetUserGetInfo/Add/SetInfo/Del,
// NetUserGetLocalGroups, NetLocalGroupGetMembers/AddMembers/DelMembers.
#ifdef _WIN32

#include <windows.h>
// after windows.h, which it needs
#include <lm.h>
#include <smharden/common/account_names.hpp>

#include "services/service_registry.hpp"
#include "services/windows/win32/win32_backend.hpp"
#include "services/windows/win32/win32_errors.hpp"
#include "services/windows/win32/win32_util.hpp"

namespace smharden::services::windows::win32 {
namespace {

using net_buffer = api_buffer<BYTE, NetApiBufferFree>;

void check_net(const char* api, const std::string& subject, NET_API_STATUS status, DWORD parm_err = 0) {
  if (status == NERR_Success) return;
  if (status == ERROR_INVALID_PARAMETER && parm_err != 0) {
    throw service_error("invalid_params", win32_error_message(api, subject, status) + " (USER_INFO field index " +
                                              std::to_string(parm_err) + ")");
  }
  throw_win32(api, subject, status);
}

// The name of a local group: "BUILTIN\Administrators" -> "Administrators";
// a SID (e.g. S-1-5-32-544, whose name is localised) -> its name on this machine.
std::wstring local_group_name(const std::string& group) {
  if (common::is_sid_string(group)) {
    const auto sid = resolve_sid(group);
    const auto name = sid ? sid_account_name(sid->get()) : std::nullopt;
    if (!name) throw_win32("LookupAccountSidW", group, win32_code::group_not_found);
    return to_wide(name->second, "group name");
  }
  const common::account_name parsed = common::parse_account_name(group);
  if (parsed.name.empty()) throw service_error("invalid_params", "empty group name");
  return to_wide(parsed.name, "group name");
}

}  // namespace

std::optional<user_info> win32_backend::get_user(const std::string& name) const {
  const std::wstring wname = local_user_name(name);
  net_buffer buf;
  const NET_API_STATUS status = NetUserGetInfo(nullptr, wname.c_str(), 4, buf.out());
  if (status == NERR_UserNotFound) return std::nullopt;
  check_net("NetUserGetInfo", name, status);
  const auto* u = reinterpret_cast<const USER_INFO_4*>(buf.get());
  user_info info;
  info.name = to_utf8(u->usri4_name);
  info.sid = u->usri4_user_sid != nullptr ? sid_to_string(u->usri4_user_sid) : std::string();
  info.description = to_utf8(u->usri4_comment);
  info.full_name = to_utf8(u->usri4_full_name);
  info.flags = u->usri4_flags;
  info.password_expired = u->usri4_password_expired != 0;
  return info;
}

void win32_backend::create_user(const new_user& user) {
  std::wstring name = local_user_name(user.name);
  std::wstring password = to_wide(user.password, "password");
  std::wstring comment = to_wide(user.description, "description");
  USER_INFO_1 info{};
  info.usri1_name = name.data();
  info.usri1_password = password.data();
  info.usri1_priv = USER_PRIV_USER;  // the only value NetUserAdd accepts
  info.usri1_comment = comment.data();
  info.usri1_flags = user.flags | UF_SCRIPT;  // UF_SCRIPT must be set
  DWORD parm_err = 0;
  const NET_API_STATUS status = NetUserAdd(nullptr, 1, reinterpret_cast<LPBYTE>(&info), &parm_err);
  wipe(password);
  check_net("NetUserAdd", user.name, status, parm_err);
  // A new user's password is not expired; set the bit only when asked.
  if (user.password_expired) {
    user_update update;
    update.password_expired = true;
    update_user(user.name, update);
  }
}

void win32_backend::update_user(const std::string& name, const user_update& update) {
  const std::wstring wname = local_user_name(name);
  DWORD parm_err = 0;
  if (update.flags) {
    USER_INFO_1008 info{};
    info.usri1008_flags = *update.flags | UF_SCRIPT;
    check_net("NetUserSetInfo(1008 flags)", name,
              NetUserSetInfo(nullptr, wname.c_str(), 1008, reinterpret_cast<LPBYTE>(&info), &parm_err), parm_err);
  }
  if (update.description) {
    std::wstring comment = to_wide(*update.description, "description");
    USER_INFO_1007 info{};
    info.usri1007_comment = comment.data();
    check_net("NetUserSetInfo(1007 comment)", name,
              NetUserSetInfo(nullptr, wname.c_str(), 1007, reinterpret_cast<LPBYTE>(&info), &parm_err), parm_err);
  }
  if (update.password_expired) {
    // No level sets only this bit: read level 4, change it, write level 4 back
    // (usri4_password is NULL from NetUserGetInfo and so is left unchanged).
    net_buffer buf;
    check_net("NetUserGetInfo(4)", name, NetUserGetInfo(nullptr, wname.c_str(), 4, buf.out()));
    auto* info = reinterpret_cast<USER_INFO_4*>(buf.get());
    info->usri4_password = nullptr;
    info->usri4_password_expired = *update.password_expired ? 1 : 0;
    check_net("NetUserSetInfo(4 password_expired)", name,
              NetUserSetInfo(nullptr, wname.c_str(), 4, buf.get(), &parm_err), parm_err);
  }
}

void win32_backend::set_password(const std::string& name, const std::string& password) {
  const std::wstring wname = local_user_name(name);
  std::wstring secret = to_wide(password, "password");
  USER_INFO_1003 info{};
  info.usri1003_password = secret.data();
  DWORD parm_err = 0;
  const NET_API_STATUS status =
      NetUserSetInfo(nullptr, wname.c_str(), 1003, reinterpret_cast<LPBYTE>(&info), &parm_err);
  wipe(secret);
  check_net("NetUserSetInfo(1003 password)", name, status, parm_err);
}

void win32_backend::delete_user(const std::string& name) {
  const std::wstring wname = local_user_name(name);
  check_net("NetUserDel", name, NetUserDel(nullptr, wname.c_str()));
}

std::vector<std::string> win32_backend::group_members(const std::string& group) const {
  const std::wstring wgroup = local_group_name(group);
  std::vector<std::string> out;
  DWORD_PTR resume = 0;
  NET_API_STATUS status = ERROR_MORE_DATA;
  while (status == ERROR_MORE_DATA) {
    net_buffer buf;
    DWORD read = 0;
    DWORD total = 0;
    status =
        NetLocalGroupGetMembers(nullptr, wgroup.c_str(), 3, buf.out(), MAX_PREFERRED_LENGTH, &read, &total, &resume);
    if (status != NERR_Success && status != ERROR_MORE_DATA) check_net("NetLocalGroupGetMembers", group, status);
    const auto* members = reinterpret_cast<const LOCALGROUP_MEMBERS_INFO_3*>(buf.get());
    for (DWORD i = 0; i < read; ++i) out.push_back(to_utf8(members[i].lgrmi3_domainandname));
  }
  return out;
}

std::vector<std::string> win32_backend::user_groups(const std::string& user) const {
  const std::wstring wuser = local_user_name(user);
  net_buffer buf;
  DWORD read = 0;
  DWORD total = 0;
  // Flags 0: direct membership only (LG_INCLUDE_INDIRECT would add nested groups).
  check_net("NetUserGetLocalGroups", user,
            NetUserGetLocalGroups(nullptr, wuser.c_str(), 0, 0, buf.out(), MAX_PREFERRED_LENGTH, &read, &total));
  std::vector<std::string> out;
  const auto* groups = reinterpret_cast<const LOCALGROUP_USERS_INFO_0*>(buf.get());
  for (DWORD i = 0; i < read; ++i) out.push_back(to_utf8(groups[i].lgrui0_name));
  return out;
}

void win32_backend::add_group_member(const std::string& group, const std::string& account) {
  const std::wstring wgroup = local_group_name(group);
  const auto sid = resolve_sid(account);
  if (!sid) throw_win32("NetLocalGroupAddMembers", account, 1387);  // ERROR_NO_SUCH_MEMBER
  LOCALGROUP_MEMBERS_INFO_0 member{};
  member.lgrmi0_sid = sid->get();
  check_net("NetLocalGroupAddMembers", group + " <- " + account,
            NetLocalGroupAddMembers(nullptr, wgroup.c_str(), 0, reinterpret_cast<LPBYTE>(&member), 1));
}

void win32_backend::remove_group_member(const std::string& group, const std::string& account) {
  const std::wstring wgroup = local_group_name(group);
  const auto sid = resolve_sid(account);
  if (!sid) throw_win32("NetLocalGroupDelMembers", account, 1387);  // ERROR_NO_SUCH_MEMBER
  LOCALGROUP_MEMBERS_INFO_0 member{};
  member.lgrmi0_sid = sid->get();
  check_net("NetLocalGroupDelMembers", group + " -> " + account,
            NetLocalGroupDelMembers(nullptr, wgroup.c_str(), 0, reinterpret_cast<LPBYTE>(&member), 1));
}

}  // namespace smharden::services::windows::win32

#endif  // _WIN32
