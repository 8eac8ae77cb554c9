// The lab backend's account rights and folder ACLs.
#include "services/windows/lab_backend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <smharden/common/account_names.hpp>

#include "services/windows/lab_backend_support.hpp"

namespace smharden::services::windows {

using namespace lab;

std::vector<std::string> lab_backend::account_rights(const std::string& account) const {
  const auto ref = lookup_account(account);
  if (!ref) fail("not_found", fmt::format("the account {} does not exist (ERROR_NONE_MAPPED 1332)", account));
  std::vector<std::string> out;
  const json& rights = state()["rights"];
  const std::string key = key_ci(rights, ref->sid);
  if (!key.empty()) {
    for (const auto& r : rights[key]) out.push_back(r.get<std::string>());
  }
  return out;
}

void lab_backend::grant_right(const std::string& account, const std::string& right) {
  require_writable("grant right");
  const auto ref = lookup_account(account);
  if (!ref) fail("not_found", fmt::format("the account {} does not exist (ERROR_NONE_MAPPED 1332)", account));
  json& rights = state()["rights"];
  std::string key = key_ci(rights, ref->sid);
  if (key.empty()) {
    key = ref->sid;
    rights[key] = json::array();
  }
  std::vector<std::string> list = rights[key].get<std::vector<std::string>>();
  if (std::find(list.begin(), list.end(), right) != list.end()) return;  // LsaAddAccountRights ignores held rights
  list.push_back(right);
  std::sort(list.begin(), list.end());
  rights[key] = list;
  save();
}

void lab_backend::revoke_right(const std::string& account, const std::string& right) {
  require_writable("revoke right");
  const auto ref = lookup_account(account);
  if (!ref) fail("not_found", fmt::format("the account {} does not exist (ERROR_NONE_MAPPED 1332)", account));
  json& rights = state()["rights"];
  const std::string key = key_ci(rights, ref->sid);
  if (key.empty()) return;
  std::vector<std::string> list = rights[key].get<std::vector<std::string>>();
  const auto it = std::find(list.begin(), list.end(), right);
  if (it == list.end()) return;
  list.erase(it);
  if (list.empty()) {
    rights.erase(key);
  } else {
    rights[key] = list;
  }
  save();
}

folder_acl lab_backend::get_acl(const std::string& path) const {
  json& s = state();
  const std::string norm = normalize_path(path);
  const std::string key = key_ci(s["folders"], norm);
  if (key.empty()) fail("not_found", fmt::format("the folder {} does not exist (ERROR_FILE_NOT_FOUND 2)", path));
  const json& f = s["folders"][key];
  folder_acl acl;
  acl.path = key;
  acl.inheritance_protected = f.value("inheritance_protected", false);
  for (const auto& j : f["aces"]) {
    ace a = ace_from_state(j);
    const auto ref = lookup_account(a.sid);
    a.trustee = ref ? (ref->domain.empty() ? ref->name : ref->domain + "\\" + ref->name) : a.sid;
    acl.aces.push_back(std::move(a));
  }
  return acl;
}

void lab_backend::grant_ace(const std::string& path, const ace& entry) {
  require_writable("grant ACE");
  folder_acl acl = get_acl(path);
  std::string sid = entry.sid;
  if (sid.empty()) {
    const auto ref = lookup_account(entry.trustee);
    if (!ref) fail("not_found", fmt::format("the account {} does not exist (ERROR_NONE_MAPPED 1332)", entry.trustee));
    sid = ref->sid;
  }
  const std::uint32_t flags = entry.flags & ~ace_flag::inherited;
  bool merged = false;
  if (entry.type == ace_type::allow) {
    for (auto& a : acl.aces) {
      if (a.type == ace_type::allow && (a.flags & ace_flag::inherited) == 0 && a.flags == flags &&
          common::iequals(a.sid, sid)) {
        a.mask |= entry.mask;
        merged = true;
        break;
      }
    }
  }
  if (!merged) acl.aces.push_back(ace{entry.type, "", sid, entry.mask, flags});
  // Canonical DACL order: explicit deny, explicit allow, inherited.
  std::stable_sort(acl.aces.begin(), acl.aces.end(), [](const ace& a, const ace& b) {
    const auto rank = [](const ace& x) {
      if ((x.flags & ace_flag::inherited) != 0) return 2;
      return x.type == ace_type::deny ? 0 : 1;
    };
    return rank(a) < rank(b);
  });
  json aces = json::array();
  for (const auto& a : acl.aces) aces.push_back(ace_to_state(a));
  state()["folders"][acl.path]["aces"] = std::move(aces);
  save();
}

void lab_backend::revoke_aces(const std::string& path, const std::string& trustee) {
  require_writable("revoke ACE");
  const folder_acl acl = get_acl(path);
  std::string sid = trustee;
  if (!common::is_sid_string(trustee)) {
    const auto ref = lookup_account(trustee);
    if (!ref) fail("not_found", fmt::format("the account {} does not exist (ERROR_NONE_MAPPED 1332)", trustee));
    sid = ref->sid;
  }
  json aces = json::array();
  bool removed = false;
  for (const auto& a : acl.aces) {
    if ((a.flags & ace_flag::inherited) == 0 && common::iequals(a.sid, sid)) {
      removed = true;
      continue;
    }
    aces.push_back(ace_to_state(a));
  }
  if (!removed) return;
  state()["folders"][acl.path]["aces"] = std::move(aces);
  save();
}

}  // namespace smharden::services::windows
