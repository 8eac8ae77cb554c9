#include "services/net/net_service.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "services/method_table.hpp"
#include "services/net/http_probe.hpp"
#include "services/net/management_access.hpp"

namespace smharden::services {
namespace net {
namespace {

address_range range_or_throw(const json& value, const std::string& where) {
  if (!value.is_string()) {
    throw service_error("invalid_params", fmt::format("{}: expected an address or range as a string", where));
  }
  const auto r = parse_address_range(value.get<std::string>());
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

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

// The allow/deny rules of a guard check: {"rules": [...]} (ordered) or {"allow", "deny"} lists, and "default".
access_policy policy_from_params(const json& params) {
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

class net_service final : public service {
 public:
  explicit net_service(service_env& env) : env_(env) {}
  std::string name() const override { return "net"; }
  void register_methods(registry& r) override;
  service_env& env() noexcept { return env_; }

 private:
  service_env& env_;
};

json http_probe(net_service& /*self*/, const json& p) {
  http_probe_request req;
  req.url = require_string(p, "url");
  const json expect = p.value("expect_status", json::array({200}));
  if (!expect.is_array() || expect.empty() ||
      !std::all_of(expect.begin(), expect.end(), [](const json& s) { return s.is_number_integer(); })) {
    throw service_error("invalid_params", "expect_status must be a non-empty array of HTTP status codes");
  }
  const json timeout = p.value("timeout_ms", json(5000));
  if (!timeout.is_number_integer() || timeout.get<long>() <= 0) {
    throw service_error("invalid_params", "timeout_ms must be a positive integer");
  }
  req.timeout = std::chrono::milliseconds(timeout.get<long>());
  req.verify_tls = p.value("verify_tls", true);
  req.ca_file = p.value("ca_file", "");
  http_probe_result r;
  try {
    r = http_get_status(req);
  } catch (const std::invalid_argument& e) {
    throw service_error("invalid_params", e.what());
  }
  const bool expected =
      r.answered && std::any_of(expect.begin(), expect.end(), [&](const json& s) { return s.get<long>() == r.status; });
  json out = {{"ok", expected},
              {"url", req.url},
              {"status", r.answered ? json(r.status) : json(nullptr)},
              {"expect_status", expect},
              {"elapsed_ms", r.elapsed_ms}};
  if (!r.answered) {
    out["error"] = r.error;
  } else if (!expected) {
    out["error"] = fmt::format("answered {} (expected {})", r.status, expect.dump());
  }
  return out;
}

json management_access_check(net_service& self, const json& p) {
  service_env& env = self.env();
  json result = check_management_access(p, env.management_cidrs, env.allow_lockout_risk);
  if (result.value("overridden", false)) {
    if (env.record_override) env.record_override(result["message"].get<std::string>());
    if (env.log) env.log(result["message"].get<std::string>());
  }
  return result;
}

const method_entry<net_service> net_methods[] = {
    {"net.http.probe",
     access::read_only,
     "GET a URL and compare the answer's status with the expected ones",
     {"`{url, expect_status? ([200]), timeout_ms? (5000), verify_tls? (true), ca_file?}`",
      "`{ok, url, status (null when nothing answered), expect_status, elapsed_ms, error?}`", ""},
     &http_probe},
    {"guard.management_access.check",
     access::read_only,
     "lockout guard: would these allow/deny rules exclude a management range? (see docs/safety.md)",
     {"`{allow, deny}` (deny wins) or `{rules: [{range, action}]}` (first match wins); `default?` (deny), "
      "`management_cidrs?` (else the profile's), `what?` (named in messages)",
      "`{ok, excluded: [{range, reason}], overridden, management_cidrs, message, warning?}`; with "
      "--allow-lockout-risk an exclusion is `ok` and `overridden` (recorded in the report)",
      ""},
     &management_access_check},
};

void net_service::register_methods(registry& r) { add_methods(r, *this, net_methods); }

}  // namespace

json check_management_access(const json& params, const std::vector<std::string>& profile_cidrs,
                             bool allow_lockout_risk) {
  if (!params.is_object()) throw service_error("invalid_params", "params must be an object");
  const bool has_lists = params.contains("allow") || params.contains("deny");
  if (has_lists && params.contains("rules")) {
    throw service_error("invalid_params", "give either \"rules\" (ordered, first match wins) or \"allow\"/\"deny\"");
  }
  const access_policy policy = policy_from_params(params);

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
    out["message"] = fmt::format("{} keeps every management range allowed ({})", what, join(cidrs));
  } else if (allow_lockout_risk) {
    out["ok"] = true;
    out["overridden"] = true;
    out["message"] = fmt::format("lockout guard overridden by --allow-lockout-risk: {} excludes management range(s) {}",
                                 what, join(names));
  } else {
    out["ok"] = false;
    out["message"] = fmt::format(
        "refused: {} would lock out management range(s) {}; allow them, fix "
        "management_cidrs in the profile, or pass --allow-lockout-risk to apply anyway",
        what, join(names));
  }
  return out;
}

}  // namespace net

std::unique_ptr<service> make_net_service(const target& /*t*/, service_env& env) {
  return std::make_unique<net::net_service>(env);
}

}  // namespace smharden::services
