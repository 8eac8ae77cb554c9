#include "services/smartermail/smartermail_service.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "services/method_table.hpp"
#include "services/smartermail/ids_block_methods.hpp"

namespace smharden::services::smartermail {
namespace {

json call_of(const std::string& method, json params) { return {{"method", method}, {"params", std::move(params)}}; }

[[noreturn]] void invalid(const std::string& what) { throw service_error("invalid_params", what); }

bool require_bool(const json& params, const char* key) {
  const auto it = params.find(key);
  if (it == params.end() || !it->is_boolean()) invalid(fmt::format("parameter \"{}\" (true/false) is required", key));
  return it->get<bool>();
}

json require_array(const json& params, const char* key) {
  const auto it = params.find(key);
  if (it == params.end() || !it->is_array()) invalid(fmt::format("parameter \"{}\" (array) is required", key));
  return *it;
}

json ip_rules_param(const json& params) {
  json rules = json::array();
  for (const auto& r : require_array(params, "ip_rules")) {
    if (!r.is_object() || !r.contains("ip") || !r["ip"].is_string() || r["ip"].get<std::string>().empty()) {
      invalid("each ip_rules entry needs \"ip\" (an IP address or range) and may have \"name\"");
    }
    rules.push_back({{"name", r.value("name", "")}, {"ip", r["ip"]}});
  }
  return rules;
}

/// The parts of an IDS rule the plugin manages (the id is the server's).
json rule_values(const json& rule) {
  json v = rule;
  v.erase("id");
  return v;
}

json sorted(const json& list) {
  std::vector<std::string> items;
  for (const auto& e : list) items.push_back(e.get<std::string>());
  std::sort(items.begin(), items.end());
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return items;
}

json whitelist_view(const json& entry) {
  return {{"ip", entry.value("ip", "")},
          {"description", entry.value("description", "")},
          {"services", sorted(entry.value("services", json::array()))},
          {"smtp_auth_bypass", entry.value("smtp_auth_bypass", false)},
          {"spam_bypass", entry.value("spam_bypass", false)},
          {"brute_force_bypass", entry.value("brute_force_bypass", json(nullptr))}};
}

std::map<std::string, json> by_ip(const json& entries) {
  std::map<std::string, json> out;
  for (const auto& e : entries) out.emplace(e.value("ip", ""), e);
  return out;
}

[[noreturn]] void not_saved(const std::string& what, const json& wanted, const json& found) {
  throw service_error(
      "failed", fmt::format("SmarterMail accepted the write of {} but the read-back differs (wanted {}, found {}). "
                            "The server may expect another body shape: run `smharden smartermail probe` and "
                            "check the route map entry",
                            what, wanted.dump(), found.dump()));
}

// ---- reads -------------------------------------------------------------------------

json version_get(smartermail_service& self, const json& /*params*/) { return self.settings().version(); }
json admins_list(smartermail_service& self, const json& /*params*/) { return self.settings().admins(); }
json admin_security_get(smartermail_service& self, const json& params) {
  return self.settings().admin(require_string(params, "username"));
}
json ids_rules_get(smartermail_service& self, const json& /*params*/) { return self.settings().ids_rules(); }
json extensions_get(smartermail_service& self, const json& /*params*/) { return self.settings().extensions(); }
json relay_get(smartermail_service& self, const json& /*params*/) { return self.settings().relay(); }
json whitelist_get(smartermail_service& self, const json& /*params*/) { return self.settings().whitelist(); }
json probe_routes_now(smartermail_service& self, const json& /*params*/) { return probe(self.api(), self.routes()); }

// ---- admin security -----------------------------------------------------------

json set_admin_security(smartermail_service& self, const json& params) {
  settings_client& settings = self.settings();
  const std::string user = require_string(params, "username");
  const bool restrict_flag = require_bool(params, "restrict_login_by_ip");
  const json rules = ip_rules_param(params);
  const json current = settings.admin(user);
  if (current["restrict_login_by_ip"] == restrict_flag && current["ip_rules"] == rules) return {{"changed", false}};
  settings.save_admin_security(user, restrict_flag, rules);
  const json after = settings.admin(user, /*fresh=*/true);
  const json wanted = {{"restrict_login_by_ip", restrict_flag}, {"ip_rules", rules}};
  const json found = {{"restrict_login_by_ip", after["restrict_login_by_ip"]}, {"ip_rules", after["ip_rules"]}};
  if (wanted != found) not_saved("the login-by-IP settings of " + user, wanted, found);
  return {{"changed", true}};
}

undo_record undo_admin_security(smartermail_service& self, const json& params) {
  settings_client& settings = self.settings();
  const std::string user = require_string(params, "username");
  const json current = settings.admin(user);
  undo_record u;
  u.calls.push_back(
      call_of("smartermail.admin.security.set", {{"username", user},
                                                 {"restrict_login_by_ip", current["restrict_login_by_ip"]},
                                                 {"ip_rules", current["ip_rules"]}}));
  u.description = fmt::format("restore login-by-IP settings of SmarterMail admin {} ({} rules, restriction {})", user,
                              current["ip_rules"].size(), current["restrict_login_by_ip"].get<bool>() ? "on" : "off");
  return u;
}

// ---- IDS rules --------------------------------------------------------------------

json set_ids_rules(smartermail_service& self, const json& params) {
  settings_client& settings = self.settings();
  const json desired = require_array(params, "rules");
  for (const auto& rule : desired) {
    if (!rule.is_object() || !rule.contains("type") || !rule["type"].is_string()) {
      invalid("each IDS rule needs \"type\" (e.g. \"password_brute_force_by_ip\")");
    }
    for (const char* key : {"time_frame_minutes", "threshold", "block_minutes"}) {
      // SmarterMail keeps these in 32-bit ints: a larger value would wrap on the server.
      const json* v = rule.contains(key) ? &rule[key] : nullptr;
      const bool fits = v != nullptr && v->is_number_integer() &&
                        (v->is_number_unsigned() ? v->get<std::uint64_t>() <= 2147483647U
                                                 : v->get<std::int64_t>() >= 0 && v->get<std::int64_t>() <= 2147483647);
      if (!fits) {
        invalid(
            fmt::format("IDS rule \"{}\": \"{}\" must be an integer from 0 to 2147483647 (SmarterMail stores "
                        "it as a 32-bit int)",
                        rule["type"].get<std::string>(), key));
      }
    }
  }
  const json current = settings.ids_rules()["rules"];
  std::map<std::string, json> by_id;
  for (const auto& r : current) by_id.emplace(r["id"].get<std::string>(), r);
  bool changed = false;
  std::set<std::string> kept;
  for (json rule : desired) {
    if (!rule.contains("action")) rule["action"] = "block";
    if (!rule.contains("service")) rule["service"] = "";
    if (!rule.contains("description")) rule["description"] = "";
    const std::string id = rule.value("id", "");
    const auto it = by_id.find(id);
    if (!id.empty() && it != by_id.end()) {
      kept.insert(id);
      if (rule_values(it->second) == rule_values(rule)) continue;
      settings.save_ids_rule(rule, /*exists=*/true);
    } else {
      settings.save_ids_rule(rule, /*exists=*/false);
    }
    changed = true;
  }
  for (const auto& r : current) {
    if (kept.count(r["id"].get<std::string>()) == 0) {
      settings.delete_ids_rule(r["id"].get<std::string>());
      changed = true;
    }
  }
  if (!changed) return {{"changed", false}};
  const json after = settings.ids_rules(/*fresh=*/true)["rules"];
  std::multiset<std::string> want, found;
  for (json rule : desired) {
    if (!rule.contains("action")) rule["action"] = "block";
    if (!rule.contains("service")) rule["service"] = "";
    if (!rule.contains("description")) rule["description"] = "";
    want.insert(rule_values(rule).dump());
  }
  for (const auto& rule : after) found.insert(rule_values(rule).dump());
  if (want != found) not_saved("the IDS rules", json(want), json(found));
  return {{"changed", true}};
}

undo_record undo_ids_rules(smartermail_service& self, const json& /*params*/) {
  settings_client& settings = self.settings();
  undo_record u;
  const json current = settings.ids_rules()["rules"];
  u.calls.push_back(call_of("smartermail.ids.rules.set", {{"rules", current}}));
  u.description = fmt::format("restore the {} SmarterMail IDS rules", current.size());
  return u;
}

// ---- extension blacklists ----------------------------------------------------------

json set_extensions(smartermail_service& self, const json& params) {
  settings_client& settings = self.settings();
  json lists = json::object();
  for (const auto& [name, items] : params.items()) {
    const auto& known = settings_client::extension_lists();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      invalid(fmt::format("unknown extension list \"{}\" (inbound, outbound, upload, file_system)", name));
    }
    if (!items.is_array()) invalid(fmt::format("\"{}\" must be an array of extensions like \".exe\"", name));
    json normalized = json::array();
    for (const auto& item : items) {
      const std::string ext = item.is_string() ? normalize_extension(item.get<std::string>()) : "";
      if (ext.empty()) invalid(fmt::format("\"{}\": {} is not a file extension", name, item.dump()));
      if (std::find(normalized.begin(), normalized.end(), ext) == normalized.end()) normalized.push_back(ext);
    }
    lists[name] = normalized;
  }
  if (lists.empty()) invalid("name at least one list: inbound, outbound, upload or file_system");
  const json current = settings.extensions();
  json to_write = json::object();
  for (const auto& [name, items] : lists.items()) {
    if (sorted(current[name]) != sorted(items)) to_write[name] = items;
  }
  if (to_write.empty()) return {{"changed", false}};
  settings.save_extensions(to_write);
  const json after = settings.extensions(/*fresh=*/true);
  for (const auto& [name, items] : to_write.items()) {
    if (sorted(after[name]) != sorted(items)) not_saved("the " + name + " extension blacklist", items, after[name]);
  }
  return {{"changed", true}};
}

undo_record undo_extensions(smartermail_service& self, const json& params) {
  settings_client& settings = self.settings();
  const json current = settings.extensions();
  json previous = json::object();
  for (const auto& [name, items] : params.items()) {
    if (current.contains(name)) previous[name] = current[name];
  }
  undo_record u;
  if (!previous.empty()) u.calls.push_back(call_of("smartermail.extensions.set", previous));
  u.description = "restore the SmarterMail extension blacklists";
  return u;
}

// ---- Allow Relay ------------------------------------------------------------------------

json set_relay(smartermail_service& self, const json& params) {
  settings_client& settings = self.settings();
  const std::string wanted = require_string(params, "allow_relay");
  if (settings.relay()["allow_relay"] == wanted) return {{"changed", false}};
  settings.save_relay(wanted);
  const json after = settings.relay(/*fresh=*/true);
  if (after["allow_relay"] != wanted) not_saved("Allow Relay", wanted, after["allow_relay"]);
  return {{"changed", true}};
}

undo_record undo_relay(smartermail_service& self, const json& /*params*/) {
  settings_client& settings = self.settings();
  const json current = settings.relay();
  undo_record u;
  u.calls.push_back(call_of("smartermail.relay.set", current));
  u.description = fmt::format("restore SmarterMail Allow Relay = {}", current["allow_relay"].get<std::string>());
  return u;
}

// ---- IP whitelist -------------------------------------------------------------------------

json set_whitelist(smartermail_service& self, const json& params) {
  settings_client& settings = self.settings();
  const json upsert = params.value("upsert", json::array());
  const json remove = params.value("remove", json::array());
  if (!upsert.is_array() || !remove.is_array()) invalid("\"upsert\" and \"remove\" must be arrays");
  const auto current = by_ip(settings.whitelist()["entries"]);
  std::vector<json> to_save;
  std::vector<std::string> to_delete;
  for (const auto& e : upsert) {
    if (!e.is_object() || !e.contains("ip") || !e["ip"].is_string() || e["ip"].get<std::string>().empty()) {
      invalid("each upsert entry needs \"ip\"");
    }
    const auto it = current.find(e["ip"].get<std::string>());
    json merged = it != current.end() ? it->second : json{{"ip", e["ip"]}};
    merged.update(e);
    if (it != current.end() && whitelist_view(it->second) == whitelist_view(merged)) continue;
    to_save.push_back(merged);
  }
  for (const auto& ip : remove) {
    if (!ip.is_string()) invalid("\"remove\" holds IP strings");
    if (current.count(ip.get<std::string>()) != 0) to_delete.push_back(ip.get<std::string>());
  }
  if (to_save.empty() && to_delete.empty()) return {{"changed", false}};
  for (const auto& e : to_save) settings.save_whitelist_entry(e);
  for (const auto& ip : to_delete) settings.delete_whitelist_entry(ip);
  const auto after = by_ip(settings.whitelist(/*fresh=*/true)["entries"]);
  for (const auto& e : to_save) {
    const auto it = after.find(e["ip"].get<std::string>());
    json wanted = whitelist_view(e);
    // A new entry that did not name the Brute Force bypass gets the server's default.
    if (wanted["brute_force_bypass"].is_null() && it != after.end()) {
      wanted["brute_force_bypass"] = whitelist_view(it->second)["brute_force_bypass"];
    }
    if (it == after.end() || whitelist_view(it->second) != wanted) {
      not_saved("whitelist entry " + e["ip"].get<std::string>(), wanted,
                it == after.end() ? json(nullptr) : whitelist_view(it->second));
    }
  }
  for (const auto& ip : to_delete) {
    if (after.count(ip) != 0) not_saved("the removal of whitelist entry " + ip, nullptr, whitelist_view(after.at(ip)));
  }
  return {{"changed", true}, {"saved", to_save.size()}, {"removed", to_delete.size()}};
}

undo_record undo_whitelist(smartermail_service& self, const json& params) {
  settings_client& settings = self.settings();
  const auto current = by_ip(settings.whitelist()["entries"]);
  json restore = json::array();
  json drop = json::array();
  for (const auto& e : params.value("upsert", json::array())) {
    const std::string ip = e.value("ip", "");
    const auto it = current.find(ip);
    if (it != current.end()) {
      restore.push_back(it->second);
    } else {
      drop.push_back(ip);
    }
  }
  for (const auto& ip : params.value("remove", json::array())) {
    const auto it = current.find(ip.is_string() ? ip.get<std::string>() : "");
    if (it != current.end()) restore.push_back(it->second);
  }
  undo_record u;
  if (!restore.empty() || !drop.empty()) {
    u.calls.push_back(call_of("smartermail.whitelist.set", {{"upsert", restore}, {"remove", drop}}));
  }
  u.description =
      fmt::format("restore {} SmarterMail whitelist entries and remove {} added ones", restore.size(), drop.size());
  return u;
}

const method_entry<smartermail_service> smartermail_methods[] = {
    {"smartermail.version.get",
     access::read_only,
     "the server's build",
     {"–", "`{\"build\": \"100.0.9400\"}`", ""},
     &version_get},
    {"smartermail.admins.list",
     access::read_only,
     "system administrators with their 2FA and login-by-IP state",
     {"–",
      "`{\"admins\": [{username, primary, two_factor, two_factor_method, restrict_login_by_ip, ip_rules: [{name, "
      "ip}]}]}`; two_factor_method: authenticator, email, none, the server's own name, or null when not exposed",
      ""},
     &admins_list},
    {"smartermail.admin.security.get",
     access::read_only,
     "one administrator's 2FA and login-by-IP state",
     {"`{username}`", "one admin as in `smartermail.admins.list`", ""},
     &admin_security_get},
    {"smartermail.admin.security.set",
     access::mutating,
     "sets an administrator's \"restrict login access by IP\" flag and rules",
     {"`{username, restrict_login_by_ip, ip_rules: [{name, ip}]}`", "`{\"changed\": bool}`",
      "`smartermail.admin.security.set` with the previous flag and rules"},
     &set_admin_security,
     &undo_admin_security},
    {"smartermail.ids.rules.get",
     access::read_only,
     "the IDS rules",
     {"–", "`{\"rules\": [{id, type, service, action, time_frame_minutes, threshold, block_minutes, description}]}`",
      ""},
     &ids_rules_get},
    {"smartermail.ids.rules.set",
     access::mutating,
     "makes the IDS rule list exactly `rules`: rules without a known id are created, missing ones deleted",
     {"`{rules}`: the complete list", "`{\"changed\": bool}`", "`smartermail.ids.rules.set` with the previous list"},
     &set_ids_rules,
     &undo_ids_rules},
    {"smartermail.extensions.get",
     access::read_only,
     "the extension blacklists",
     {"–", "`{inbound, outbound, upload, file_system}`, each `[\".exe\", …]`", ""},
     &extensions_get},
    {"smartermail.extensions.set",
     access::mutating,
     "replaces the extension blacklists named in params",
     {"any of `inbound`, `outbound`, `upload`, `file_system` (arrays of extensions)", "`{\"changed\": bool}`",
      "`smartermail.extensions.set` with the previous values of the named lists"},
     &set_extensions,
     &undo_extensions},
    {"smartermail.relay.get",
     access::read_only,
     "SMTP In Allow Relay",
     {"–", "`{\"allow_relay\": \"nobody|local_users|local_domains|anyone\"}`", ""},
     &relay_get},
    {"smartermail.relay.set",
     access::mutating,
     "sets Allow Relay",
     {"`{allow_relay}`", "`{\"changed\": bool}`", "`smartermail.relay.set` with the previous value"},
     &set_relay,
     &undo_relay},
    {"smartermail.whitelist.get",
     access::read_only,
     "the IP whitelist (all pages)",
     {"–",
      "`{\"entries\": [{ip, description, services, smtp_auth_bypass, spam_bypass, brute_force_bypass, "
      "disabled_greylisting}]}`; brute_force_bypass is null where the server's entries lack that field",
      ""},
     &whitelist_get},
    {"smartermail.whitelist.set",
     access::mutating,
     "changes whitelist entries; other entries are untouched",
     {"`{upsert: [{ip, …fields to set}], remove: [ip]}`", "`{changed, saved, removed}`",
      "`smartermail.whitelist.set` that saves the previous entries again and removes the added ones"},
     &set_whitelist,
     &undo_whitelist},
    {"smartermail.probe",
     access::read_only,
     "which mapped routes answer on this server, and its build (see `smharden smartermail probe`)",
     {"–", "per mapped route: method, path, verified, source, probed, answered, shape_ok; the build", ""},
     &probe_routes_now},
};

}  // namespace

smartermail_service::smartermail_service(std::unique_ptr<api_backend> api, route_map map)
    : map_(std::move(map)), api_(std::move(api)), settings_(*api_, map_) {}

void smartermail_service::end_run() noexcept { api_->end_run(); }

void smartermail_service::register_methods(registry& r) {
  add_methods(r, *this, smartermail_methods);
  register_ids_block_methods(r, *this);
}

}  // namespace smharden::services::smartermail
