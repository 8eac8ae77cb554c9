#include "admin_access.hpp"

namespace smharden::sm_admin {

json login_reach_policy(const json& admins) {
  const json list = admins.value("admins", json::array());
  if (list.empty()) return {{"unknown", "the server lists no system administrator"}};
  json allow = json::array();
  for (const json& a : list) {
    if (!a.value("restrict_login_by_ip", false)) return {{"default", "allow"}};
    for (const json& r : a.value("ip_rules", json::array())) allow.push_back(r.value("ip", ""));
  }
  return {{"allow", allow}, {"default", "deny"}};
}

json admins_after(const json& admins, const plan& p) {
  json out = admins;
  for (json& a : out["admins"]) {
    for (const security_change& c : p.changes) {
      if (c.username != a.value("username", "")) continue;
      a["restrict_login_by_ip"] = c.params.value("restrict_login_by_ip", true);
      a["ip_rules"] = c.params.value("ip_rules", json::array());
    }
  }
  return out;
}

json access_request(const json& admins, const plan& p) {
  return {{"step", "sm-admin"},
          {"what", "SmarterMail administrator login restriction"},
          {"surfaces",
           {{"admin_login",
             {{"before", login_reach_policy(admins)}, {"after", login_reach_policy(admins_after(admins, p))}}}}}};
}

}  // namespace smharden::sm_admin
