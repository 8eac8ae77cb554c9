#include "services/smartermail/settings_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace smharden::services::smartermail {
namespace {

bool as_bool(const json& j, const std::string& key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

std::string as_string(const json& j, const std::string& key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// A whole number from the server: a JSON integer, an integral float or a string of digits. What does
// not fit a long long, or is no number at all, is refused rather than read as some other number.
long long as_int(const json& j, const std::string& key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return 0;
  const auto refuse = [&] {
    return service_error("failed",
                         fmt::format("SmarterMail answered {} for \"{}\": expected a whole number", it->dump(), key));
  };
  if (it->is_number_integer() && !it->is_number_unsigned()) return it->get<long long>();
  if (it->is_number_unsigned()) {
    const auto u = it->get<unsigned long long>();
    if (u > static_cast<unsigned long long>(std::numeric_limits<long long>::max())) throw refuse();
    return static_cast<long long>(u);
  }
  if (it->is_number_float()) {
    const double d = it->get<double>();
    // 2^63 is exactly representable; every double below it in magnitude converts without overflow.
    if (!(std::abs(d) < 9223372036854775808.0) || d != std::trunc(d)) throw refuse();
    return static_cast<long long>(d);
  }
  if (it->is_string()) {
    const std::string& text = it->get_ref<const std::string&>();
    if (text.empty()) return 0;
    long long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) throw refuse();
    return value;
  }
  throw refuse();
}

/// "authenticator" (an RFC 6238 app), "email", another method's own name, or null when the record has no such field.
json two_factor_method(const json& admin, const std::string& key) {
  const auto it = admin.find(key);
  if (it == admin.end() || it->is_null()) return nullptr;
  std::string text = it->is_string() ? it->get<std::string>() : it->dump();
  std::string lower;
  for (const char c : text) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower.empty() || lower == "none" || lower == "disabled") return "none";
  if (lower.find("rfc6238") != std::string::npos || lower.find("authenticator") != std::string::npos ||
      lower.find("totp") != std::string::npos || lower == "app") {
    return "authenticator";
  }
  if (lower.find("email") != std::string::npos || lower.find("mail") != std::string::npos) return "email";
  return text;
}

const json& unwrap(const json& body, const std::string& wrapper) {
  if (wrapper.empty()) return body;
  const auto it = body.find(wrapper);
  if (it == body.end() || !it->is_object()) {
    throw service_error("failed",
                        fmt::format("SmarterMail answered without the \"{}\" object the route map expects", wrapper));
  }
  return *it;
}

}  // namespace

std::string normalize_extension(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == ' ' || c == '*') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  while (!out.empty() && out.front() == '.') out.erase(out.begin());
  if (out.empty()) return "";
  for (const char c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return "";
  }
  return "." + out;
}

const std::vector<std::string>& settings_client::extension_lists() {
  static const std::vector<std::string> lists = {"inbound", "outbound", "upload", "file_system"};
  return lists;
}

json settings_client::read(const std::string& route_key, const path_args& args, const json& body, bool fresh) {
  std::string key = route_key;
  for (const auto& [k, v] : args) key += "|" + k + "=" + v;
  key += "|" + body.dump();
  if (!fresh) {
    const auto it = cache_.find(key);
    if (it != cache_.end()) return it->second;
  }
  json answer = api_.call(route_key, args, body);
  cache_[key] = answer;
  return answer;
}

json settings_client::write(const std::string& route_key, const path_args& args, const json& body) {
  cache_.clear();
  return api_.call(route_key, args, body);
}

std::string settings_client::member_or_raw(const std::string& group, const json& api_value) const {
  if (auto member = map_.member_for(group, api_value)) return *member;
  return "unknown:" + (api_value.is_string() ? api_value.get<std::string>() : api_value.dump());
}

json settings_client::api_value_for(const std::string& group, const std::string& member,
                                    const std::string& what) const {
  if (member.rfind("unknown:", 0) == 0) {
    const std::string raw = member.substr(8);
    const json parsed = json::parse(raw, nullptr, false);
    return parsed.is_discarded() ? json(raw) : parsed;
  }
  try {
    return map_.value(group + "." + member);
  } catch (const std::logic_error&) {
    throw service_error("invalid_params",
                        fmt::format("{} \"{}\" is not in the route map's {}.* values", what, member, group));
  }
}

json settings_client::version(bool fresh) {
  const route r = map_.get("version.get");
  const json answer = read("version.get", {}, json::object(), fresh);
  const json& body = unwrap(answer, r.response_wrapper);
  const std::string build = as_string(body, map_.field("version.value"));
  if (build.empty()) {
    throw service_error("failed", fmt::format("SmarterMail get-version answered without \"{}\"; override "
                                              "fields.version.value in target.json",
                                              map_.field("version.value")));
  }
  return {{"build", build}};
}

json settings_client::canonical_admin(const json& a) const {
  json rules = json::array();
  const auto it = a.find(map_.field("admin.ip_rules"));
  if (it != a.end() && it->is_array()) {
    for (const auto& r : *it) {
      rules.push_back(
          {{"name", as_string(r, map_.field("ip_rule.name"))}, {"ip", as_string(r, map_.field("ip_rule.address"))}});
    }
  }
  return {{"username", as_string(a, map_.field("admin.username"))},
          {"primary", as_bool(a, map_.field("admin.primary"))},
          {"two_factor", as_bool(a, map_.field("admin.two_factor"))},
          // null: this server's admin record does not say which method (authenticator app or email)
          {"two_factor_method", two_factor_method(a, map_.field("admin.two_factor_method"))},
          {"restrict_login_by_ip", as_bool(a, map_.field("admin.restrict_by_ip"))},
          {"ip_rules", rules}};
}

json settings_client::admins(bool fresh) {
  const route r = map_.get("admins.list");
  const json answer = read("admins.list", {}, json::object(), fresh);
  const json& body = unwrap(answer, r.response_wrapper);
  const auto it = body.find(map_.field("admins.list"));
  if (it == body.end() || !it->is_array()) {
    throw service_error(
        "failed", fmt::format("SmarterMail admins list answered without the \"{}\" array", map_.field("admins.list")));
  }
  json out = json::array();
  for (const auto& a : *it) out.push_back(canonical_admin(a));
  return {{"admins", out}};
}

json settings_client::admin(const std::string& username, bool fresh) {
  const route r = map_.get("admin.get");
  const json answer = read("admin.get", {{"username", username}}, json::object(), fresh);
  const json& body = unwrap(answer, r.response_wrapper);
  const auto it = body.find(map_.field("admin.object"));
  if (it == body.end() || !it->is_object())
    throw service_error("not_found", "no SmarterMail system administrator " + username);
  return canonical_admin(*it);
}

void settings_client::save_admin_security(const std::string& username, bool restrict_login_by_ip,
                                          const json& ip_rules) {
  json rules = json::array();
  for (const auto& r : ip_rules) {
    rules.push_back(
        {{map_.field("ip_rule.name"), r.value("name", "")}, {map_.field("ip_rule.address"), r.value("ip", "")}});
  }
  write("admin.save", {},
        {{map_.field("admin.username"), username},
         {map_.field("admin.restrict_by_ip"), restrict_login_by_ip},
         {map_.field("admin.ip_rules"), rules}});
}

json settings_client::canonical_rule(const json& r) const {
  return {{"id", as_string(r, map_.field("ids_rule.id"))},
          {"type", member_or_raw("ids_rule_type", r.value(map_.field("ids_rule.type"), json("")))},
          {"service", as_string(r, map_.field("ids_rule.service"))},
          {"action", member_or_raw("ids_action", r.value(map_.field("ids_rule.action"), json("")))},
          {"time_frame_minutes", as_int(r, map_.field("ids_rule.time_frame"))},
          {"threshold", as_int(r, map_.field("ids_rule.threshold"))},
          {"block_minutes", as_int(r, map_.field("ids_rule.block_time"))},
          {"description", as_string(r, map_.field("ids_rule.description"))}};
}

json settings_client::ids_rules(bool fresh) {
  const route r = map_.get("ids.rules.list");
  const json answer = read("ids.rules.list", {}, json::object(), fresh);
  const json& body = unwrap(answer, r.response_wrapper);
  const auto it = body.find(map_.field("ids.list"));
  if (it == body.end() || !it->is_array()) {
    throw service_error("failed",
                        fmt::format("SmarterMail IDS rules answered without the \"{}\" array", map_.field("ids.list")));
  }
  json out = json::array();
  for (const auto& rule : *it) out.push_back(canonical_rule(rule));
  return {{"rules", out}};
}

std::string settings_client::save_ids_rule(const json& rule, bool exists) {
  json body = {
      {map_.field("ids_rule.type"), api_value_for("ids_rule_type", rule.value("type", ""), "IDS rule type")},
      {map_.field("ids_rule.service"), rule.value("service", "")},
      {map_.field("ids_rule.action"), api_value_for("ids_action", rule.value("action", "block"), "IDS action")},
      {map_.field("ids_rule.time_frame"), rule.value("time_frame_minutes", std::int64_t{0})},
      {map_.field("ids_rule.threshold"), rule.value("threshold", std::int64_t{0})},
      {map_.field("ids_rule.block_time"), rule.value("block_minutes", std::int64_t{0})},
      {map_.field("ids_rule.description"), rule.value("description", "")}};
  if (exists) body[map_.field("ids_rule.id")] = rule.value("id", "");
  const json answer = write("ids.rule.save", {}, body);
  const std::string id = as_string(answer, map_.field("ids_rule.id"));
  return id.empty() ? rule.value("id", "") : id;
}

void settings_client::delete_ids_rule(const std::string& id) {
  write("ids.rule.delete", {}, {{map_.field("ids_rule.id"), id}});
}

json settings_client::extensions(bool fresh) {
  const route r = map_.get("extensions.get");
  const json answer = read("extensions.get", {}, json::object(), fresh);
  const json& body = unwrap(answer, r.response_wrapper);
  json out = json::object();
  for (const auto& list : extension_lists()) {
    const auto it = body.find(map_.field("extensions." + list));
    std::vector<std::string> items;
    if (it != body.end() && it->is_array()) {
      for (const auto& e : *it) {
        if (e.is_string()) items.push_back(e.get<std::string>());
      }
    } else if (it != body.end() && it->is_string()) {
      std::string csv = it->get<std::string>();
      for (std::size_t start = 0; start <= csv.size();) {
        const std::size_t comma = std::min(csv.find_first_of(",;", start), csv.size());
        items.push_back(csv.substr(start, comma - start));
        start = comma + 1;
      }
    } else if (it != body.end() && !it->is_null()) {
      throw service_error("failed", fmt::format("SmarterMail extension list \"{}\" is neither a list nor a string",
                                                map_.field("extensions." + list)));
    }
    json normalized = json::array();
    for (const auto& item : items) {
      const std::string ext = normalize_extension(item);
      if (!ext.empty() && std::find(normalized.begin(), normalized.end(), ext) == normalized.end())
        normalized.push_back(ext);
    }
    out[list] = normalized;
  }
  return out;
}

void settings_client::save_extensions(const json& lists) {
  const std::string format = map_.value("extensions.format").get<std::string>();
  const bool dotted = format.find("dotted") != std::string::npos;
  const bool csv = format.rfind("csv", 0) == 0;
  json body = json::object();
  for (const auto& [list, items] : lists.items()) {
    json api = json::array();
    std::string text;
    for (const auto& item : items) {
      std::string ext = normalize_extension(item.get<std::string>());
      if (!dotted) ext.erase(0, 1);
      api.push_back(ext);
      text += (text.empty() ? "" : ",") + ext;
    }
    body[map_.field("extensions." + list)] = csv ? json(text) : api;
  }
  write("extensions.save", {}, body);
}

json settings_client::relay(bool fresh) {
  const route r = map_.get("relay.get");
  const json answer = read("relay.get", {}, json::object(), fresh);
  const json& body = unwrap(answer, r.response_wrapper);
  const auto it = body.find(map_.field("relay.allow_relay"));
  if (it == body.end()) {
    throw service_error(
        "failed", fmt::format("SmarterMail SMTP In settings answered without \"{}\"", map_.field("relay.allow_relay")));
  }
  return {{"allow_relay", member_or_raw("allow_relay", *it)}};
}

void settings_client::save_relay(const std::string& allow_relay) {
  write("relay.save", {},
        {{map_.field("relay.allow_relay"), api_value_for("allow_relay", allow_relay, "allow_relay")}});
}

json settings_client::read_pages(const std::string& route_key, const path_args& args, const page_request& request,
                                 bool fresh) {
  const route r = map_.get(route_key);
  const std::string where = fmt::format("{} {} ({})", r.method, map_.url_path(r, args), route_key);
  const long long page_size = std::max<long long>(1, request.page_size);
  json items = json::array();
  long long first_total = -1;
  for (long long skip = 0, pages = 0;; ++pages) {
    if (pages >= max_pages) {
      throw service_error("failed",
                          fmt::format("SmarterMail {}: still not at the end of the list after {} pages of {}; "
                                      "raise the route map's page size or check the server",
                                      where, max_pages, page_size));
    }
    const json answer = read(route_key, args, request.body(skip, page_size), fresh);
    const auto list = answer.find(request.list_field);
    if (list == answer.end() || !list->is_array()) {
      throw service_error("failed",
                          fmt::format("SmarterMail {} answered without the \"{}\" array", where, request.list_field));
    }
    const long long total = as_int(answer, request.total_field);
    if (total < 0 || total > max_list_entries) {
      throw service_error("failed", fmt::format("SmarterMail {} answered {} = {}: not a count smharden reads "
                                                "(0 to {})",
                                                where, request.total_field, total, max_list_entries));
    }
    if (first_total >= 0 && total != first_total) {
      throw service_error("failed", fmt::format("SmarterMail {}: the total changed from {} to {} between pages; "
                                                "the list changed while it was read, run again",
                                                where, first_total, total));
    }
    first_total = total;
    for (const auto& e : *list) items.push_back(e);
    skip += static_cast<long long>(list->size());
    if (skip > total || (list->empty() && skip < total)) {
      throw service_error("failed", fmt::format("SmarterMail {}: the server's totals do not add up ({} = {}, but {} "
                                                "entries {})",
                                                where, request.total_field, total, skip,
                                                list->empty() ? "before an empty page" : "were sent"));
    }
    if (skip == total) break;  // no N+1: one request per page, not per entry
  }
  return items;
}

json settings_client::whitelist(bool fresh) {
  const std::string arg = map_.value("ip_access.whitelist_arg").get<std::string>();
  page_request request;
  request.page_size = map_.value("ip_access.page_size").get<long long>();
  request.list_field = map_.field("ip_access.list");
  request.total_field = map_.field("ip_access.total");
  request.body = [this](long long skip, long long take) {
    return json{{map_.field("ip_access.show_honeypot"), false},
                {map_.field("ip_access.search_params"),
                 {{map_.field("search.skip"), skip},
                  {map_.field("search.take"), take},
                  {map_.field("search.search"), ""},
                  {map_.field("search.sort_field"), "ip"},
                  {map_.field("search.sort_descending"), false}}}};
  };
  json entries = json::array();
  const std::string brute_key = map_.field("ip_entry.brute_force_bypass");
  for (const auto& e : read_pages("ip_access.list", {{"whitelist", arg}}, request, fresh)) {
    json services = json::array();
    for (const char* svc : {"smtp", "pop", "imap", "xmpp"}) {
      if (as_bool(e, map_.field(std::string("ip_entry.") + svc))) services.push_back(svc);
    }
    const auto brute = e.find(brute_key);
    entries.push_back({{"ip", as_string(e, map_.field("ip_entry.ip"))},
                       {"description", as_string(e, map_.field("ip_entry.description"))},
                       {"services", services},
                       {"smtp_auth_bypass", as_bool(e, map_.field("ip_entry.smtp_auth_bypass"))},
                       {"spam_bypass", as_bool(e, map_.field("ip_entry.spam_bypass"))},
                       // null: this server's entries do not carry the Brute Force (IDS) bypass field
                       {"brute_force_bypass", brute != e.end() && brute->is_boolean() ? *brute : json(nullptr)},
                       {"disabled_greylisting", as_bool(e, map_.field("ip_entry.disabled_greylisting"))}});
  }
  return {{"entries", entries}};
}

json settings_client::ids_blocks(bool fresh) {
  page_request request;
  request.page_size = map_.value("ids_blocks.page_size").get<long long>();
  request.list_field = map_.field("ids_blocks.list");
  request.total_field = map_.field("ids_blocks.total");
  request.body = [this](long long skip, long long take) {
    return json{{map_.field("blocks_query.search"), ""},
                {map_.field("blocks_query.sort"), "ip"},
                {map_.field("blocks_query.ascending"), true},
                {map_.field("blocks_query.start"), skip},
                {map_.field("blocks_query.count"), take}};
  };
  json blocks = json::array();
  for (const auto& b : read_pages("ids.blocks.list", {}, request, fresh)) {
    if (!b.is_object()) throw service_error("failed", "SmarterMail blocked-ips answered a block that is not an object");
    json seconds = b.value(map_.field("ids_block.seconds_left"), json(nullptr));
    blocks.push_back({{"ip", as_string(b, map_.field("ids_block.ip"))},
                      {"block_type", b.value(map_.field("ids_block.type"), json(nullptr))},
                      {"protocol", b.value(map_.field("ids_block.protocol"), json(nullptr))},
                      {"rule", as_string(b, map_.field("ids_block.rule"))},
                      {"seconds_left", seconds.is_number() ? seconds : json(nullptr)},
                      {"api", b}});
  }
  return {{"blocks", blocks}};
}

void settings_client::unblock(const json& api_blocks) {
  write("ids.blocks.unblock", {}, {{map_.field("unblock.list"), api_blocks}});
}

void settings_client::save_whitelist_entry(const json& entry) {
  json services = json::array();
  for (const auto& s : entry.value("services", json::array({"smtp", "pop", "imap", "xmpp"}))) {
    services.push_back(api_value_for("service", s.get<std::string>(), "whitelist service"));
  }
  const std::string ip = entry.value("ip", "");
  json body = {{map_.field("ip_save.address"), ip},
               {map_.field("ip_save.old_address"), ip},
               {map_.field("ip_save.data_type"), map_.value("ip_access.data_type_whitelist")},
               {map_.field("ip_save.description"), entry.value("description", "")},
               {map_.field("ip_save.service_list"), services},
               {map_.field("ip_save.spam_bypass"), entry.value("spam_bypass", false)},
               {map_.field("ip_save.smtp_auth_bypass"), entry.value("smtp_auth_bypass", false)}};
  // Sent only where the server's entries carry the field: a server without it would drop it anyway.
  const auto brute = entry.find("brute_force_bypass");
  if (brute != entry.end() && brute->is_boolean()) body[map_.field("ip_save.brute_force_bypass")] = *brute;
  write("ip_access.save", {}, body);
}

void settings_client::delete_whitelist_entry(const std::string& ip) {
  write("ip_access.delete", {},
        {{map_.field("ip_delete.address"), ip},
         {map_.field("ip_delete.data_type"), map_.value("ip_access.data_type_whitelist")}});
}

}  // namespace smharden::services::smartermail
