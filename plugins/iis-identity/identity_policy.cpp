#include "identity_policy.hpp"

#include <algorithm>
#include <cctype>

namespace smharden::iis_identity {
namespace {

std::string canonical(std::string name) {
  if (name.starts_with(".\\")) name.erase(0, 2);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

}  // namespace

bool same_account(const std::string& a, const std::string& b) { return canonical(a) == canonical(b); }

plan make_plan(const json& params, const json& site, const json& pool, bool rotation_requested) {
  plan p;
  const std::string user = params.value("user_name", ".\\smartermail-svc");
  const std::string secret = params.value("password_secret", "service_password");
  const std::string pool_name = pool.value("name", "");
  const std::string type = pool.value("identity_type", "");
  const std::string have_user = pool.value("user_name", "");
  const std::string password = pool.value("password", "absent");

  json others = json::array();
  for (const json& s : pool.value("sites", json::array())) {
    if (s != site.value("name", "")) others.push_back(s);
  }
  if (!others.empty() && !params.value("allow_shared_pool", false)) {
    p.refusal = "app pool \"" + pool_name + "\" also runs " + others.dump() +
                "; giving it SmarterMail's account would give those sites SmarterMail's rights";
    p.findings.push_back({"shared-pool",
                          "The SmarterMail site shares its application pool with other sites",
                          "medium",
                          {{"pool", pool_name}, {"other_sites", others}},
                          "a pool used only by SmarterMail",
                          "Give the SmarterMail site its own application pool (IIS Manager > Application Pools > Add), "
                          "or set \"allow_shared_pool\": true if sharing is intended",
                          false});
    return p;
  }

  bool drift = false;
  if (type != "SpecificUser") {
    drift = true;
    p.findings.push_back(
        {"identity-type", "The SmarterMail app pool does not run as a dedicated user", "", type, "SpecificUser",
         "Set app pool \"" + pool_name + "\" identityType to SpecificUser with user " + user + ".", true});
  } else if (!same_account(have_user, user)) {
    drift = true;
    p.findings.push_back({"user-name", "The SmarterMail app pool runs as another user", "", have_user, user,
                          "Set app pool \"" + pool_name + "\" to run as " + user + ".", true});
  }
  if (!drift && password == "absent") {
    drift = true;
    p.findings.push_back({"password-missing", "The SmarterMail app pool user has no password stored", "", "absent",
                          "set (encrypted by IIS)", "Set the app pool user's password.", true});
  }
  if (password == "clear-text") {
    drift = true;
    p.findings.push_back({"password-clear-text",
                          "The SmarterMail app pool password is stored in clear text in applicationHost.config", "high",
                          "clear-text", "encrypted by IIS",
                          "Run `smharden apply` for this step (it sets the password through IIS, which encrypts it), "
                          "or set it again in IIS Manager.",
                          true});
  }
  if (!drift && rotation_requested) {
    drift = true;
    p.findings.push_back(
        {"password-rotation",
         "A new password for app pool \"" + pool_name + "\" was requested by --rotate-service-password", "", nullptr,
         "the rotation's new password (secret \"" + secret + "\")",
         "rotation requested by --rotate-service-password: apply sets the pool's password again from "
         "secret \"" +
             secret + "\" (journaled; a rollback keeps it)",
         true});
  }
  if (drift) {
    p.set_identity =
        json{{"name", pool_name}, {"identity_type", "SpecificUser"}, {"user_name", user}, {"password_secret", secret}};
    p.changes.push_back({"app-pool-identity",
                         "identity of app pool \"" + pool_name + "\"",
                         {{"identity_type", type}, {"user_name", have_user}},
                         {{"identity_type", "SpecificUser"}, {"user_name", user}}});
  }
  return p;
}

}  // namespace smharden::iis_identity
