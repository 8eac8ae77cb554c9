#include "rights_policy.hpp"

#include <algorithm>

namespace smharden::rights {

json with_defaults(const json& params) {
  json p = {{"user_name", "smartermail-svc"},
            {"rights", json::array({"SeServiceLogonRight"})},
            {"forbidden_rights", json::array({"SeDenyServiceLogonRight"})}};
  if (params.is_object()) {
    for (const auto& [k, v] : params.items()) p[k] = v;
  }
  return p;
}

plan make_plan(const json& raw_params, const json& rights) {
  const json params = with_defaults(raw_params);
  const std::string name = params["user_name"].get<std::string>();
  plan out;
  if (!rights.value("exists", false)) {
    out.account_missing = true;
    finding f;
    f.id = "account-missing";
    f.title = "The account " + name + " does not exist, so it holds no rights";
    f.current = nullptr;
    f.desired = params["rights"];
    f.remediation = "the accounts step creates " + name + "; apply then grants " + params["rights"].dump();
    out.findings.push_back(std::move(f));
    return out;
  }
  const json held = rights.value("rights", json::array());
  const auto holds = [&](const std::string& r) { return std::find(held.begin(), held.end(), json(r)) != held.end(); };
  for (const auto& r : params["rights"]) {
    const std::string right = r.get<std::string>();
    if (holds(right)) continue;
    finding f;
    f.id = "missing:" + right;
    f.title = name + " does not hold " + right;
    f.current = held;
    f.desired = right;
    f.remediation = "apply grants " + right + " to " + name + " (LsaAddAccountRights)";
    out.findings.push_back(std::move(f));
    out.grant.push_back(right);
    out.changes.push_back({"grant:" + right, "granted " + right + " to " + name, false, true});
  }
  for (const auto& r : params["forbidden_rights"]) {
    const std::string right = r.get<std::string>();
    if (!holds(right)) continue;
    finding f;
    f.id = "forbidden:" + right;
    f.title = name + " holds " + right;
    f.current = held;
    f.desired = "not " + right;
    f.remediation = "apply revokes " + right + " from " + name + " (LsaRemoveAccountRights)";
    out.findings.push_back(std::move(f));
    out.revoke.push_back(right);
    out.changes.push_back({"revoke:" + right, "revoked " + right + " from " + name, true, false});
  }
  return out;
}

}  // namespace smharden::rights
