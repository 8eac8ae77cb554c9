#include "accounts_policy.hpp"

#include <smharden/common/account_names.hpp>

namespace smharden::accounts {
namespace {

using common::iequals;

finding make_finding(std::string id, std::string title, json current, json desired, std::string remediation) {
  finding f;
  f.id = std::move(id);
  f.title = std::move(title);
  f.current = std::move(current);
  f.desired = std::move(desired);
  f.remediation = std::move(remediation);
  return f;
}

}  // namespace

json with_defaults(const json& params) {
  json p = {{"user_name", "smartermail-svc"},
            {"description", "SmarterMail service account"},
            {"forbidden_groups", json::array({"Administrators"})},
            {"password_secret", "service_password"},
            {"generated_password_length", 24}};
  if (params.is_object()) {
    for (const auto& [k, v] : params.items()) p[k] = v;
  }
  return p;
}

finding rotation_finding(const std::string& what, const std::string& secret) {
  return make_finding("password-rotation", "A new password for " + what + " was requested by --rotate-service-password",
                      nullptr, "the rotation's new password (secret \"" + secret + "\")",
                      "rotation requested by --rotate-service-password: apply sets the new password from secret \"" +
                          secret + "\" (journaled; a rollback keeps it)");
}

plan make_plan(const json& raw_params, const json& user, bool rotation_requested) {
  const json params = with_defaults(raw_params);
  const std::string name = params["user_name"].get<std::string>();
  const std::string description = params["description"].get<std::string>();
  plan out;

  if (!user.value("exists", false)) {
    out.create_user = true;
    out.findings.push_back(make_finding(
        "user-missing", "The dedicated local user " + name + " does not exist", nullptr,
        {{"name", name},
         {"description", description},
         {"password_never_expires", true},
         {"must_change_password", false},
         {"disabled", false}},
        "apply creates " + name + " with the password from secret \"" + params["password_secret"].get<std::string>() +
            "\" or, when it is absent, a generated random password handed only to the later steps of the run"));
    out.changes.push_back({"create-user",
                           "created local user " + name,
                           nullptr,
                           {{"name", name}, {"description", description}, {"password_never_expires", true}}});
    return out;
  }

  if (rotation_requested) {
    const std::string secret = params["password_secret"].get<std::string>();
    out.set_password = true;
    out.findings.push_back(rotation_finding("local user " + name, secret));
    out.changes.push_back({"password-rotation",
                           "set the rotated password of local user " + name + " (secret \"" + secret + "\")", nullptr,
                           nullptr});
  }

  json update = {{"name", user.value("name", name)}};
  json before = json::object();
  json after = json::object();
  const auto differ = [&](const char* field, const json& want, const std::string& id, const std::string& title,
                          const std::string& remediation) {
    const json have = user.value(field, json());
    if (have == want) return;
    out.findings.push_back(make_finding(id, title, have, want, remediation));
    update[field] = want;
    before[field] = have;
    after[field] = want;
  };
  differ("password_never_expires", true, "password-expires", "The password of " + name + " expires",
         "apply sets \"Password never expires\" (UF_DONT_EXPIRE_PASSWD): an expired password stops the service");
  differ("must_change_password", false, "must-change-password", name + " must change its password at next logon",
         "apply clears \"User must change password at next logon\": a service cannot change it and fails to log on");
  differ("disabled", false, "disabled", "The account " + name + " is disabled", "apply enables the account");
  differ("description", description, "description", "The description of " + name + " differs",
         "apply sets the description");
  if (update.size() > 1) {
    out.calls.push_back({"windows.user.update", update});
    out.changes.push_back({"update-user", "updated local user " + name, before, after});
  }

  const json groups = user.value("groups", json::array());
  for (const auto& forbidden : params["forbidden_groups"]) {
    const std::string g = forbidden.get<std::string>();
    for (const auto& have : groups) {
      if (!have.is_string() || !iequals(have.get<std::string>(), g)) continue;
      out.findings.push_back(make_finding(
          "in-group:" + g, name + " is a member of " + g, groups, "not a member of " + g,
          "apply removes " + name + " from " + g + ": the service must not run with administrative rights"));
      out.calls.push_back({"windows.groups.remove_member", {{"group", have}, {"account", user.value("name", name)}}});
      out.changes.push_back({"leave-group:" + g, "removed " + name + " from " + g, groups, nullptr});
    }
  }
  return out;
}

}  // namespace smharden::accounts
