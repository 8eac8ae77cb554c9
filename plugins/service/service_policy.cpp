#include "service_policy.hpp"

#include <smharden/common/account_names.hpp>
#include <smharden/common/secret_env_name.hpp>

namespace smharden::service_step {

namespace win = common;

json with_defaults(const json& params) {
  json p = {{"service_name", ""},
            {"user_name", "smartermail-svc"},
            {"password_secret", "service_password"},
            {"restart", true}};
  if (params.is_object()) {
    for (const auto& [k, v] : params.items()) p[k] = v;
  }
  return p;
}

json resolve_service_name(const json& raw_params, const json& located) {
  json params = with_defaults(raw_params);
  if (params["service_name"].get<std::string>().empty() && located.is_object() && located.value("found", false)) {
    params["service_name"] = located.value("service_name", "");
  }
  return params;
}

std::string logon_name(const json& params) {
  return win::local_service_logon_name(params["user_name"].get<std::string>());
}

std::string how_to_supply(const std::string& secret, const std::string& user) {
  return "supply the password of " + user + " as secret \"" + secret + "\": set the environment variable " +
         common::secret_env_name(secret) + " or pass --secret-file " + secret +
         "=PATH (or let the accounts step create the user in the same run)";
}

plan make_plan(const json& raw_params, const observed& o) {
  const json params = with_defaults(raw_params);
  const std::string service = params["service_name"].get<std::string>();
  const std::string user = params["user_name"].get<std::string>();
  const std::string secret = params["password_secret"].get<std::string>();
  const std::string want = logon_name(params);
  plan out;

  if (service.empty()) {
    finding f;
    f.id = "service-not-detected";
    f.title = "SmarterMail's Windows service was not detected";
    f.current = o.located.is_object() ? o.located.value("candidates", json::array()) : json(nullptr);
    f.desired = want;
    f.remediation =
        "no Windows service runs <install>\\Service\\MailService.exe, or several do: set this step's "
        "service_name to SmarterMail's service key name (`sc query type= service state= all`)";
    f.automated = false;
    out.findings.push_back(std::move(f));
    return out;
  }
  if (!o.service.value("exists", false)) {
    finding f;
    f.id = "service-missing";
    f.title = "There is no Windows service named " + service;
    f.current = nullptr;
    f.desired = want;
    f.remediation =
        "set this step's service_name to SmarterMail's service key name (run `sc query type= service "
        "state= all` and look for SmarterMail), or leave it empty to detect it";
    f.automated = false;
    out.findings.push_back(std::move(f));
    return out;
  }

  const std::string have = o.service.value("account", "");
  bool same = false;
  if (o.current_account.value("exists", false) && o.desired_account.value("exists", false)) {
    same = win::iequals(o.current_account.value("sid", ""), o.desired_account.value("sid", ""));
  } else {
    same = win::same_account(have, want, "");
  }
  if (same && o.rotation_requested) {
    finding f;
    f.id = "password-rotation";
    f.title = "A new password for the logon of the " + service + " service was requested by --rotate-service-password";
    f.current = nullptr;
    f.desired = "the rotation's new password (secret \"" + secret + "\")";
    f.remediation = "rotation requested by --rotate-service-password: apply sets the service to log on as " + want +
                    " with the new password from secret \"" + secret +
                    "\" and asks the engine for one restart at the end of the run (journaled; a rollback keeps it)";
    out.findings.push_back(std::move(f));
    out.set_logon = json{{"name", o.service.value("name", service)}, {"account", want}, {"password_secret", secret}};
    out.changes.push_back(
        {"password-rotation", "set the rotated password on the logon of service " + service, nullptr, nullptr});
    return out;
  }
  if (same) return out;

  finding f;
  f.id = "logon-account";
  f.title = "The " + service + " service logs on as " + have + ", not as " + want;
  f.current = have;
  f.desired = want;
  const bool user_exists = o.desired_account.value("exists", false);
  if (o.password_available || !user_exists) {
    f.remediation = "apply sets the service to log on as " + want + " with the password from secret \"" + secret +
                    "\" and asks the engine for one restart at the end of the run";
  } else {
    f.remediation = "apply needs the password of " + want + ": " + how_to_supply(secret, user);
  }
  out.findings.push_back(std::move(f));
  if (user_exists && !o.password_available) {
    finding p;
    p.id = "password-needed";
    p.title = "The password of " + want + " is not available to this run";
    p.current = nullptr;
    p.desired = "secret \"" + secret + "\"";
    p.remediation = how_to_supply(secret, user);
    p.automated = false;
    out.findings.push_back(std::move(p));
  }
  out.set_logon = json{{"name", o.service.value("name", service)}, {"account", want}, {"password_secret", secret}};
  out.changes.push_back({"logon-account", "set service " + service + " to log on as " + want, have, want});
  return out;
}

}  // namespace smharden::service_step
