#include "run/access_guard.hpp"

#include <fmt/format.h>

#include <memory>

#include <smharden/common/access_proof.hpp>
#include <string>
#include <vector>

#include "services/method_table.hpp"

namespace smharden::core {
namespace {

using nlohmann::json;
using services::require_string;
using services::service_error;
using address_range = common::written_range;
using common::access_policy;
using common::find_excluded;

address_range range_or_throw(const json& value, const std::string& where) {
  if (!value.is_string()) {
    throw service_error("invalid_params", fmt::format("{}: expected an address or range as a string", where));
  }
  const auto r = common::parse_written_range(value.get<std::string>());
  if (!r) {
    throw service_error("invalid_params", fmt::format("{}: \"{}\" is not an address, CIDR (10.0.0.0/8), IPv4 mask form "
                                                      "(10.0.0.0/255.0.0.0) or range (10.0.0.1-10.0.0.9)",
                                                      where, value.get<std::string>()));
  }
  return *r;
}

std::vector<address_range> range_list(const json& params, const char* key) {
  std::vector<address_range> out;
  if (!params.contains(key)) return out;
  const json& list = params[key];
  if (!list.is_array()) throw service_error("invalid_params", fmt::format("\"{}\" must be an array of ranges", key));
  for (std::size_t i = 0; i < list.size(); ++i) out.push_back(range_or_throw(list[i], fmt::format("{}[{}]", key, i)));
  return out;
}

}  // namespace

// The allow/deny rules of a guard check: {"rules": [...]} (ordered) or {"allow", "deny"} lists, and "default".
access_policy access_policy_from_params(const json& params) {
  access_policy policy;
  const std::string default_action = params.value("default", "deny");
  if (default_action != "allow" && default_action != "deny") {
    throw service_error("invalid_params",
                        fmt::format("default must be \"allow\" or \"deny\", found \"{}\"", default_action));
  }
  policy.default_allow = default_action == "allow";
  if (params.contains("rules")) {
    const json& rules = params["rules"];
    if (!rules.is_array()) throw service_error("invalid_params", "\"rules\" must be an array");
    for (std::size_t i = 0; i < rules.size(); ++i) {
      const json& rule = rules[i];
      const std::string where = fmt::format("rules[{}]", i);
      if (!rule.is_object() || !rule.contains("range") || !rule.contains("action")) {
        throw service_error("invalid_params", where + ": expected {\"range\": \"...\", \"action\": \"allow|deny\"}");
      }
      const std::string action = rule["action"].is_string() ? rule["action"].get<std::string>() : "";
      if (action != "allow" && action != "deny") {
        throw service_error("invalid_params", where + "/action: expected \"allow\" or \"deny\"");
      }
      policy.rules.push_back({range_or_throw(rule["range"], where + "/range"), action == "allow"});
    }
  } else {
    // Unordered lists: a deny entry wins over an allow entry (the cautious reading).
    for (auto& r : range_list(params, "deny")) policy.rules.push_back({std::move(r), false});
    for (auto& r : range_list(params, "allow")) policy.rules.push_back({std::move(r), true});
  }
  return policy;
}

namespace {

// Every key present ([] when the profile does not declare it, see register_access_guard), so callers need no defaults.
services::method audiences_method(json audiences) {
  services::method m;
  m.name = "guard.access.audiences";
  m.kind = services::access::read_only;
  m.summary = "who must keep which access: the profile's audiences (see docs/safety.md)";
  m.doc = {"`{}`",
           "`{management: [..], webmail_users: [..], mail_clients: [..], relay_apps: [{address, name}]}`; every key "
           "present, `[]` when not declared; `management` includes the profile's management_cidrs",
           ""};
  m.invoke = [a = std::move(audiences)](const json& p) {
    if (!p.is_null() && !(p.is_object() && p.empty())) {
      throw service_error("invalid_params", "guard.access.audiences takes no params: call it with {}");
    }
    return a;
  };
  return m;
}

services::method surface_guard_method(access_guard_settings settings, const json& audiences) {
  services::method m;
  m.name = "guard.access.check";
  m.kind = services::access::read_only;
  m.summary = "access guard: does each audience keep the surfaces it needs after this step? (see docs/safety.md)";
  m.doc = {
      "`{step?, what?, surfaces: {<surface>: {before, after}}}`; a policy is `{allow, deny}` or `{rules}` with "
      "`default?` (deny), or `{unknown: why}`; surfaces: webmail, activesync_mapi, port_9998, admin_login, "
      "smtp_relay",
      "`{ok, overridden, losses: [{audience, surface, ranges, reasons}], cells: [{audience, surface, before, "
      "after}], message}`; an apply refuses a loss unless --allow-access-change (recorded in the report)",
      ""};
  auto own_matrix = std::make_shared<access_matrix>(audiences);
  m.invoke = [s = std::move(settings), own_matrix](const json& p) {
    try {
      return check_surface_access(p, s.matrix != nullptr ? *s.matrix : *own_matrix, s);
    } catch (...) {
      services::rethrow_as_service_error("guard.access.check");
    }
  };
  return m;
}

}  // namespace

json check_management_access(const json& params, const std::vector<std::string>& profile_cidrs,
                             bool allow_lockout_risk) {
  if (!params.is_object()) throw service_error("invalid_params", "params must be an object");
  const bool has_lists = params.contains("allow") || params.contains("deny");
  if (has_lists && params.contains("rules")) {
    throw service_error("invalid_params", "give either \"rules\" (ordered, first match wins) or \"allow\"/\"deny\"");
  }
  const access_policy policy = access_policy_from_params(params);

  std::vector<std::string> cidrs = profile_cidrs;
  if (params.contains("management_cidrs")) {
    const json& list = params["management_cidrs"];
    if (!list.is_array()) throw service_error("invalid_params", "\"management_cidrs\" must be an array");
    cidrs.clear();
    for (const auto& c : list) {
      if (!c.is_string()) throw service_error("invalid_params", "\"management_cidrs\" must hold strings");
      cidrs.push_back(c.get<std::string>());
    }
  }
  std::vector<address_range> management;
  for (std::size_t i = 0; i < cidrs.size(); ++i) {
    management.push_back(range_or_throw(json(cidrs[i]), fmt::format("management_cidrs[{}]", i)));
  }
  const std::string what = params.value("what", "the allow-list");
  json out = {{"management_cidrs", cidrs}, {"excluded", json::array()}, {"overridden", false}};
  if (management.empty()) {
    out["ok"] = true;
    out["message"] = fmt::format(
        "the profile names no management_cidrs, so nothing proves that {} keeps the "
        "operator in; add them to the profile",
        what);
    out["warning"] = out["message"];
    return out;
  }
  const auto excluded = find_excluded(management, policy);
  std::vector<std::string> names;
  for (const auto& e : excluded) {
    out["excluded"].push_back({{"range", e.range}, {"reason", e.reason}});
    names.push_back(e.range);
  }
  if (excluded.empty()) {
    out["ok"] = true;
    out["message"] = fmt::format("{} keeps every management range allowed ({})", what, fmt::join(cidrs, ", "));
  } else if (allow_lockout_risk) {
    out["ok"] = true;
    out["overridden"] = true;
    out["message"] = fmt::format("lockout guard overridden by --allow-lockout-risk: {} excludes management range(s) {}",
                                 what, fmt::join(names, ", "));
  } else {
    out["ok"] = false;
    out["message"] = fmt::format(
        "refused: {} would lock out management range(s) {}; allow them, fix "
        "management_cidrs in the profile, or pass --allow-lockout-risk to apply anyway",
        what, fmt::join(names, ", "));
  }
  return out;
}

void register_access_guard(services::registry& methods, access_guard_settings settings) {
  services::method m;
  m.name = "guard.management_access.check";
  m.kind = services::access::read_only;
  m.summary = "lockout guard: would these allow/deny rules exclude a management range? (see docs/safety.md)";
  m.doc = {
      "`{allow, deny}` (deny wins) or `{rules: [{range, action}]}` (first match wins); `default?` (deny), "
      "`management_cidrs?` (else the profile's), `what?` (named in messages)",
      "`{ok, excluded: [{range, reason}], overridden, management_cidrs, message, warning?}`; with "
      "--allow-lockout-risk an exclusion is `ok` and `overridden` (recorded in the report)",
      ""};
  m.invoke = [s = settings](const json& p) {
    json result;
    try {
      result = check_management_access(p, s.management_cidrs, s.allow_lockout_risk);
    } catch (...) {
      services::rethrow_as_service_error("guard.management_access.check");
    }
    if (result.value("overridden", false) && s.record_override) s.record_override(result["message"].get<std::string>());
    return result;
  };
  json audiences = settings.audiences;
  for (const char* key : {"management", "webmail_users", "mail_clients", "relay_apps"}) {
    if (!audiences.contains(key)) audiences[key] = json::array();
  }
  methods.add(std::move(m));
  methods.add(audiences_method(audiences));
  methods.add(surface_guard_method(std::move(settings), std::move(audiences)));
}

}  // namespace smharden::core
