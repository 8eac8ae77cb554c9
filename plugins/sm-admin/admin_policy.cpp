#include "admin_policy.hpp"

#include <smharden/common/access_proof.hpp>

#include <algorithm>

namespace smharden::sm_admin {
namespace {

/// Rules compared as a set of (ip, name), whitespace trimmed.
std::vector<std::pair<std::string, std::string>> rule_set(const json& rules) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : rules) out.emplace_back(r.value("ip", ""), r.value("name", ""));
  std::sort(out.begin(), out.end());
  return out;
}

std::string describe(const std::vector<std::pair<std::string, std::string>>& rules) {
  std::string out;
  for (const auto& [ip, name] : rules) out += (out.empty() ? "" : ", ") + ip + (name.empty() ? "" : " (" + name + ")");
  return out.empty() ? "none" : out;
}

// The lockout proof run here when the host's guard did not answer: "" when
// every management range keeps access, else why not.
std::string own_lockout_check(const json& management_cidrs, const common::access_policy& policy) {
  std::vector<common::written_range> management;
  for (const auto& cidr : management_cidrs) {
    const std::string text = cidr.is_string() ? cidr.get<std::string>() : cidr.dump();
    const auto range = common::parse_written_range(text);
    if (!range) return "management range " + text + " is not an IP address, CIDR block or a-b range";
    management.push_back(*range);
  }
  const auto excluded = common::find_excluded(management, policy);
  if (excluded.empty()) return "";
  return "the sm-admin ip_rules do not allow the management range " + excluded.front().range +
         "; refusing to restrict administrator logins (the operator would be locked out)";
}

}  // namespace

json effective_rules(const json& params, const json& management_cidrs) {
  json rules = params.value("ip_rules", json::array());
  if (!rules.empty()) return rules;
  int n = 0;
  for (const auto& cidr : management_cidrs) {
    rules.push_back({{"name", "management " + std::to_string(++n)}, {"ip", cidr}});
  }
  return rules;
}

std::string two_factor_remediation(const std::string& username) {
  return "Not automated: enrolment needs the administrator's own authenticator. Sign in to the SmarterMail web "
         "interface as " +
         username +
         ", open the account's settings (My Settings > Account > Two-Step Authentication), enable it, scan the QR "
         "code with an authenticator app and confirm with a code. If smharden signs in with this account, give it "
         "the seed as the secret smartermail_totp_seed (or a current code as smartermail_totp_code) for later runs. " +
         lost_authenticator_recovery();
}

std::string lost_authenticator_recovery() {
  return "If the authenticator is lost: another system administrator turns two-step authentication off for the "
         "account (Settings > Administrators); with no other administrator, on the server stop the SmarterMail "
         "service, back up Service\\Settings\\administrators.json (in the install folder), turn two-step "
         "authentication off in that administrator's entry (keep the JSON valid; SmarterMail ignores "
         "administrators_bak.json), start the service, sign in from a management address and enrol again.";
}

std::string two_factor_method_remediation(const std::string& username, const std::string& method) {
  return "Not automated: " + username + " uses two-step authentication by " + method +
         "; a mailbox can be read by whoever breaks into it. Sign in as " + username +
         ", open My Settings > Account > Two-Step Authentication and switch to an authenticator app. " +
         lost_authenticator_recovery();
}

json guard_request(const json& rules) {
  json allow = json::array();
  for (const auto& r : rules) allow.push_back(r.value("ip", ""));
  return {{"allow", allow}, {"default", "deny"}, {"what", "SmarterMail administrator login restriction (sm-admin)"}};
}

plan make_plan(const json& admins, const json& params, const json& management_cidrs, const json& guard) {
  plan p;
  const bool require_2fa = params.value("require_two_factor", true);
  const bool restrict_ip = params.value("restrict_login_by_ip", true);
  const std::string mode = params.value("rules_mode", "exact");
  const std::string method_wanted = params.value("two_factor_method", "authenticator");
  const json rules = effective_rules(params, management_cidrs);

  if (restrict_ip) {
    common::access_policy policy;  // the rules allow; everything else is denied
    for (const auto& r : rules) {
      const auto range = common::parse_written_range(r.value("ip", ""));
      if (!range) {
        p.refusal = "ip_rules: \"" + r.value("ip", "") + "\" is not an IP address, CIDR block or a-b range";
        break;
      }
      policy.rules.push_back({*range, true});
    }
    if (p.refusal.empty() && rules.empty()) {
      p.refusal =
          "no login IP rules: set management_cidrs in the profile (or ip_rules in the sm-admin params); an empty "
          "rule list would lock every administrator out";
    }
    std::string unproven;  // the rules apply, but nothing shows that the operator keeps access
    if (p.refusal.empty() && guard.is_object()) {
      if (!guard.value("ok", false)) {
        p.refusal = guard.value("message", std::string("the lockout guard refused the login IP rules")) +
                    "; refusing to restrict administrator logins";
      }
      unproven = guard.value("warning", std::string());
    } else if (p.refusal.empty()) {
      p.refusal = own_lockout_check(management_cidrs, policy);
      if (management_cidrs.empty()) unproven = "the profile names no management ranges";
    }
    if (p.refusal.empty() && !unproven.empty()) {
      finding f;
      f.id = "ip-rules-unproven";
      f.title =
          "Administrator logins are restricted to the sm-admin ip_rules, but no management range proves "
          "that the operator keeps access";
      f.severity = "high";
      f.current = rules;
      f.desired = management_cidrs;
      f.remediation = unproven +
                      ". Declare the management audience (access.management or management_cidrs) so the lockout "
                      "guard can check the rules; until then make sure you sign in from an address in them.";
      f.automated = false;
      p.findings.push_back(f);
    }
    if (!p.refusal.empty()) {
      finding f;
      f.id = "ip-rules-unsafe";
      f.title = "Administrator login IP restriction cannot be applied safely";
      f.severity = "high";
      f.current = rules;
      f.desired = management_cidrs;
      f.remediation = p.refusal;
      f.automated = false;
      p.findings.push_back(f);
    }
  }

  for (const auto& admin : admins.value("admins", json::array())) {
    const std::string user = admin.value("username", "");
    if (require_2fa && !admin.value("two_factor", false)) {
      finding f;
      f.id = "two-factor:" + user;
      f.title = "System administrator " + user + " has no two-factor authentication";
      f.severity = "high";
      f.current = {{"two_factor", false}};
      f.desired = {{"two_factor", true}};
      f.remediation = two_factor_remediation(user);
      f.automated = false;
      p.findings.push_back(f);
    }
    // Checked where the admin record says which method (null: the server does not expose it).
    const json method = admin.value("two_factor_method", json(nullptr));
    if (require_2fa && admin.value("two_factor", false) && method_wanted == "authenticator" && method.is_string() &&
        method != "authenticator" && method != "none") {
      finding f;
      f.id = "two-factor-method:" + user;
      f.title = "System administrator " + user + " uses two-step authentication by " + method.get<std::string>() +
                ", not an authenticator app";
      f.severity = "medium";
      f.current = {{"two_factor_method", method}};
      f.desired = {{"two_factor_method", "authenticator"}};
      f.remediation = two_factor_method_remediation(user, method.get<std::string>());
      f.automated = false;
      p.findings.push_back(f);
    }
    if (!restrict_ip || !p.refusal.empty()) continue;
    const json current_rules = admin.value("ip_rules", json::array());
    const bool flag_on = admin.value("restrict_login_by_ip", false);
    json wanted_rules = rules;
    if (mode == "ensure") {  // keep the admin's other rules, add the missing ones
      wanted_rules = current_rules;
      const auto have = rule_set(current_rules);
      for (const auto& r : rules) {
        const std::string ip = r.value("ip", "");
        if (std::none_of(have.begin(), have.end(), [&](const auto& h) { return h.first == ip; }))
          wanted_rules.push_back(r);
      }
    }
    if (flag_on && rule_set(current_rules) == rule_set(wanted_rules)) continue;
    finding f;
    f.id = "login-ip:" + user;
    f.title = flag_on ? "System administrator " + user + " login IP rules differ from the profile"
                      : "System administrator " + user + " can sign in from any IP address";
    f.severity = "high";
    f.current = {{"restrict_login_by_ip", flag_on}, {"ip_rules", current_rules}};
    f.desired = {{"restrict_login_by_ip", true}, {"ip_rules", wanted_rules}};
    f.remediation = "apply turns on \"Restrict login access by IP\" for " + user + " with the rules " +
                    describe(rule_set(wanted_rules));
    p.findings.push_back(f);
    p.changes.push_back({user,
                         {{"username", user}, {"restrict_login_by_ip", true}, {"ip_rules", wanted_rules}},
                         {{"restrict_login_by_ip", flag_on}, {"ip_rules", current_rules}}});
  }
  return p;
}

}  // namespace smharden::sm_admin
