// `smartermail probe`: signs in once and calls every mapped read route, so an
// operator can see which entries of the route map their server answers.
#include <fmt/format.h>

#include "services/smartermail/probe_documentation.hpp"
#include "services/smartermail/rest_api.hpp"
#include "services/smartermail/smartermail_service.hpp"

namespace smharden::services::smartermail {
namespace {

/// Remembers, per route, whether the backend answered or why not.
class recording_backend final : public api_backend {
 public:
  explicit recording_backend(api_backend& inner) : inner_(inner) {}
  std::string kind() const override { return inner_.kind(); }
  json call(const std::string& route_key, const path_args& args, const json& body) override {
    try {
      json answer = inner_.call(route_key, args, body);
      outcomes[route_key] = {{"answered", true}};
      return answer;
    } catch (const service_error& e) {
      outcomes[route_key] = {{"answered", false}, {"error", e.code()}, {"message", e.what()}};
      throw;
    }
  }
  std::map<std::string, json> outcomes;

 private:
  api_backend& inner_;
};

bool is_secret_key(const std::string& key) {
  std::string k;
  for (char c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != '_' && c != '-') k.push_back(c);
  }
  for (const char* word : {"password", "token", "cookie", "secret", "authorization", "totp"}) {
    if (k.find(word) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

json redacted(const json& report, const std::function<std::string(const std::string&)>& redact) {
  if (report.is_string()) return redact(report.get<std::string>());
  if (report.is_array()) {
    json out = json::array();
    for (const auto& item : report) out.push_back(redacted(item, redact));
    return out;
  }
  if (!report.is_object()) return report;
  json out = json::object();
  for (const auto& [key, value] : report.items()) {
    out[redact(key)] = is_secret_key(key) && !value.is_null() ? json("***") : redacted(value, redact);
  }
  return out;
}

json probe(api_backend& api, const route_map& map) {
  recording_backend rec(api);
  settings_client client(rec, map);
  std::map<std::string, std::string> shape_error;
  std::string build;
  std::string first_admin = "admin";
  const auto attempt = [&](const std::string& key, const std::function<void()>& fn) {
    try {
      fn();
    } catch (const service_error& e) {
      if (rec.outcomes.count(key) != 0 && rec.outcomes[key].value("answered", false)) shape_error[key] = e.what();
    }
  };
  attempt("version.get", [&] { build = client.version()["build"].get<std::string>(); });
  attempt("admins.list", [&] {
    const json admins = client.admins()["admins"];
    if (!admins.empty()) first_admin = admins[0]["username"].get<std::string>();
  });
  attempt("admin.get", [&] { client.admin(first_admin); });
  attempt("ids.rules.list", [&] { client.ids_rules(); });
  attempt("extensions.get", [&] { client.extensions(); });
  attempt("relay.get", [&] { client.relay(); });
  attempt("ip_access.list", [&] { client.whitelist(); });
  attempt("smtp_auth_bypass.get", [&] { rec.call("smtp_auth_bypass.get", {}, json::object()); });

  const json docs = check_documentation(api, map);
  json routes = json::array();
  int answered = 0, shaped = 0, unverified = 0, documented = 0;
  for (const auto& [key, entry] : map.document()["routes"].items()) {
    json row = {{"route", key},
                {"method", entry["method"]},
                {"path", map.url_path(map.get(key), {{"whitelist", "true"}, {"username", first_admin}})},
                {"verified", entry["verified"]},
                {"source", entry["source"]}};
    if (!entry["verified"].get<bool>()) ++unverified;
    const auto it = rec.outcomes.find(key);
    if (it != rec.outcomes.end()) {
      row["probed"] = true;
      row.update(it->second);
      const bool ok = it->second.value("answered", false) && shape_error.count(key) == 0;
      if (it->second.value("answered", false)) ++answered;
      if (ok) ++shaped;
      row["shape_ok"] = ok;
      if (shape_error.count(key) != 0) row["message"] = shape_error[key];
    } else if (key == "auth.login" && api.kind() == "rest") {
      const auto* rest = dynamic_cast<rest_api*>(&api);
      row["probed"] = true;
      row["answered"] = rest != nullptr && rest->logins() > 0 && !rec.outcomes.empty() &&
                        std::any_of(rec.outcomes.begin(), rec.outcomes.end(),
                                    [](const auto& o) { return o.second.value("answered", false); });
    } else {
      row["probed"] = false;
      row["note"] = entry["read"].get<bool>() ? "not needed for this probe"
                                              : "write or session route: not exercised by the read-only probe";
    }
    if (docs["routes"].contains(key)) {
      const json& d = docs["routes"][key];
      row["documented"] = d;
      if (d["route"].get<bool>() && d["fields_missing"].empty()) ++documented;
    }
    routes.push_back(row);
  }
  json report = {{"backend", api.kind()},
                 {"build", build.empty() ? json(nullptr) : json(build)},
                 {"routes", routes},
                 {"summary",
                  {{"read_routes_probed", rec.outcomes.size()},
                   {"answered", answered},
                   {"shape_ok", shaped},
                   {"unverified_routes", unverified},
                   {"documented_routes", documented}}},
                 {"documentation", {{"available", docs["available"]}, {"pages", docs["pages"]}}}};
  if (const auto* rest = dynamic_cast<rest_api*>(&api)) report["requests"] = rest->requests_sent();
  return report;
}

}  // namespace smharden::services::smartermail
