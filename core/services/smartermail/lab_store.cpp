#include "services/smartermail/lab_store.hpp"

#include "services/smartermail/lab_api.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "base/atomic_file.hpp"
#include "base/errors.hpp"
#include "base/json_reader.hpp"

namespace smharden::services::smartermail {
namespace {

bool iequals(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

json with_success(json body) {
  body["success"] = true;
  body["resultCode"] = 200;
  return body;
}

std::string string_or(const json& j, const std::string& key, const std::string& fallback = "") {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace

std::optional<std::string> lab_api::documentation(const std::string& path) {
  const std::string name = path.substr(path.find_last_of('/') + 1);
  const auto file = dir_ / "documentation" / (name + ".html");
  std::error_code ec;
  if (name.empty() || !std::filesystem::is_regular_file(file, ec)) return std::nullopt;
  if (std::filesystem::file_size(file, ec) > core::target_json_limits.max_bytes) {
    throw service_error("failed", file.string() + " is larger than smharden reads");
  }
  return util::read_file(file);
}

lab_store::lab_store(route_map map, std::filesystem::path dir, journaled_writes writes)
    : map_(std::move(map)), dir_(std::move(dir)), writes_(std::move(writes)) {
  if (dir_.empty()) docs_ = default_documents(map_);
}

const std::vector<std::string>& lab_store::document_names() {
  static const std::vector<std::string> names = {
      "version", "administrators",      "ids-rules",           "extension-blacklists",
      "smtp-in", "ip-access-whitelist", "ip-access-blacklist", "ids-blocks"};
  return names;
}

json& lab_store::document(const std::string& name) {
  auto it = docs_.find(name);
  if (it != docs_.end()) return it->second;
  if (std::find(document_names().begin(), document_names().end(), name) == document_names().end()) {
    throw lab_error(404, "no lab document " + name);
  }
  const auto file = dir_ / (name + ".json");
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    throw lab_error(404, fmt::format("{} is missing: this lab has no SmarterMail state; recreate it with "
                                     "`smharden lab init`",
                                     file.string()));
  }
  json doc;
  try {
    // SmarterMail writes a byte order mark; the reader skips it.
    doc = core::read_json_file(file, core::json_read_options{core::target_json_limits, core::json_blame::data});
  } catch (const core::error& e) {
    throw lab_error(500, fmt::format("{}; or recreate the lab", e.what()));
  }
  if (!doc.is_object()) {
    throw lab_error(500, fmt::format("{}: not a JSON object; fix the file or recreate the lab", file.string()));
  }
  return docs_.emplace(name, std::move(doc)).first->second;
}

void lab_store::save(const std::string& name) {
  if (dir_.empty()) return;
  const auto file = dir_ / (name + ".json");
  writes_.write(file, document(name).dump(2) + "\n");
}

std::string lab_store::ip_access_doc(const json& data_type) const {
  const json& white = map_.value("ip_access.data_type_whitelist");
  if (data_type == white || data_type == 0 ||
      (data_type.is_string() && white.is_string() && iequals(data_type.get<std::string>(), white.get<std::string>()))) {
    return "ip-access-whitelist";
  }
  if (data_type == 1 || (data_type.is_string() && iequals(data_type.get<std::string>(), "BlackList"))) {
    return "ip-access-blacklist";
  }
  throw lab_error(400, fmt::format("unknown {} {}", map_.field("ip_save.data_type"), data_type.dump()));
}

json lab_store::handle(const std::string& key, const path_args& args, const json& body) {
  if (key == "version.get") return with_success(document("version"));
  if (key == "admins.list") return with_success(document("administrators"));
  if (key == "admin.get") {
    const auto it = args.find("username");
    const std::string user = it == args.end() ? "" : it->second;
    for (const auto& admin : document("administrators")[map_.field("admins.list")]) {
      if (iequals(string_or(admin, map_.field("admin.username")), user)) {
        return with_success({{map_.field("admin.object"), admin}});
      }
    }
    throw lab_error(404, "USER_NOT_FOUND");
  }
  if (key == "admin.save") return save_admin(body);
  if (key == "ids.rules.list") return with_success(document("ids-rules"));
  if (key == "ids.rule.save") return save_ids_rule(body);
  if (key == "ids.rule.delete") return delete_ids_rule(body);
  if (key == "extensions.get") return with_success(document("extension-blacklists"));
  if (key == "extensions.save") return save_settings("extension-blacklists", body);
  if (key == "relay.get") return with_success(document("smtp-in"));
  if (key == "relay.save") return save_settings("smtp-in", body);
  if (key == "ip_access.list") return list_ip_access(args, body);
  if (key == "ip_access.save") return save_ip_access(body);
  if (key == "ip_access.delete") return delete_ip_access(body);
  if (key == "ids.blocks.list") return list_ids_blocks(body);
  if (key == "ids.blocks.unblock") return unblock_ips(body);
  if (key == "smtp_auth_bypass.get") {
    json addresses = json::array();
    for (const auto& e : document("ip-access-whitelist")[map_.field("ip_access.list")]) {
      const auto b = e.find(map_.field("ip_entry.smtp_auth_bypass"));
      if (b != e.end() && b->is_boolean() && b->get<bool>()) addresses.push_back(e[map_.field("ip_entry.ip")]);
    }
    return with_success({{"addresses", addresses}});
  }
  throw lab_error(404, fmt::format("no such route ({})", key));
}

json lab_store::save_admin(const json& body) {
  const std::string user = string_or(body, map_.field("admin.username"));
  if (user.empty()) return with_success(json::object());  // like the server: a wrongly shaped body saves nothing
  json& doc = document("administrators");
  for (auto& admin : doc[map_.field("admins.list")]) {
    if (!iequals(string_or(admin, map_.field("admin.username")), user)) continue;
    const std::string restrict_key = map_.field("admin.restrict_by_ip");
    if (body.contains(restrict_key) && body[restrict_key].is_boolean()) admin[restrict_key] = body[restrict_key];
    const std::string rules_key = map_.field("admin.ip_rules");
    if (body.contains(rules_key) && body[rules_key].is_array()) {
      json rules = json::array();
      for (const auto& r : body[rules_key]) {
        rules.push_back({{map_.field("ip_rule.name"), string_or(r, map_.field("ip_rule.name"))},
                         {map_.field("ip_rule.address"), string_or(r, map_.field("ip_rule.address"))}});
      }
      admin[rules_key] = rules;
    }
    save("administrators");
    return with_success(json::object());
  }
  throw lab_error(404, "USER_NOT_FOUND");
}

json lab_store::save_ids_rule(const json& body) {
  const std::string type_key = map_.field("ids_rule.type");
  if (!body.contains(type_key)) return with_success(json::object());  // wrongly shaped: ignored
  json& rules = document("ids-rules")[map_.field("ids.list")];
  const std::string id_key = map_.field("ids_rule.id");
  const std::string id = string_or(body, id_key);
  json rule = json::object();
  for (const char* f : {"ids_rule.type", "ids_rule.service", "ids_rule.action", "ids_rule.time_frame",
                        "ids_rule.threshold", "ids_rule.block_time", "ids_rule.description"}) {
    const std::string name = map_.field(f);
    if (body.contains(name)) rule[name] = body[name];
  }
  if (id.empty()) {
    int next = 1;
    for (const auto& r : rules) {
      const std::string existing = string_or(r, id_key);
      if (existing.rfind("ids-", 0) == 0) next = std::max(next, std::atoi(existing.c_str() + 4) + 1);
    }
    rule[id_key] = fmt::format("ids-{}", next);
    rules.push_back(rule);
    save("ids-rules");
    return with_success({{id_key, rule[id_key]}});
  }
  for (auto& r : rules) {
    if (string_or(r, id_key) != id) continue;
    r.update(rule);
    save("ids-rules");
    return with_success({{id_key, id}});
  }
  throw lab_error(404, fmt::format("no IDS rule {}", id));
}

json lab_store::delete_ids_rule(const json& body) {
  const std::string id_key = map_.field("ids_rule.id");
  const std::string id = string_or(body, id_key);
  json& rules = document("ids-rules")[map_.field("ids.list")];
  for (auto it = rules.begin(); it != rules.end(); ++it) {
    if (string_or(*it, id_key) == id) {
      rules.erase(it);
      save("ids-rules");
      return with_success(json::object());
    }
  }
  throw lab_error(404, fmt::format("no IDS rule {}", id));
}

json lab_store::save_settings(const std::string& name, const json& body) {
  json& doc = document(name);
  json& settings = doc["settings"];
  bool changed = false;
  for (const auto& [k, v] : body.items()) {
    if (settings.contains(k)) {  // unknown keys (e.g. a {"settings":{...}} wrapper) are ignored
      settings[k] = v;
      changed = true;
    }
  }
  if (changed) save(name);
  return with_success(json::object());
}

json lab_store::list_ip_access(const path_args& args, const json& body) {
  const auto it = args.find("whitelist");
  const bool white = it != args.end() && it->second == map_.value("ip_access.whitelist_arg").get<std::string>();
  const json& list = document(white ? "ip-access-whitelist" : "ip-access-blacklist")[map_.field("ip_access.list")];
  const json params = body.value(map_.field("ip_access.search_params"), json::object());
  const auto skip = static_cast<std::size_t>(std::max<long long>(0, params.value(map_.field("search.skip"), 0LL)));
  const auto take = static_cast<std::size_t>(std::max<long long>(0, params.value(map_.field("search.take"), 100LL)));
  const std::string search = params.value(map_.field("search.search"), std::string());
  const bool descending = params.value(map_.field("search.sort_descending"), false);
  const std::string ip_key = map_.field("ip_entry.ip");
  std::vector<const json*> matches;
  for (const auto& e : list) {
    if (search.empty() || string_or(e, ip_key).find(search) != std::string::npos ||
        string_or(e, map_.field("ip_entry.description")).find(search) != std::string::npos) {
      matches.push_back(&e);
    }
  }
  std::stable_sort(matches.begin(), matches.end(), [&](const json* a, const json* b) {
    return descending ? string_or(*a, ip_key) > string_or(*b, ip_key) : string_or(*a, ip_key) < string_or(*b, ip_key);
  });
  json page = json::array();
  for (std::size_t i = skip; i < matches.size() && i < skip + take; ++i) page.push_back(*matches[i]);
  return with_success({{map_.field("ip_access.total"), matches.size()}, {map_.field("ip_access.list"), page}});
}

json lab_store::save_ip_access(const json& body) {
  const std::string address = string_or(body, map_.field("ip_save.address"));
  if (address.empty()) return with_success(json::object());  // wrongly shaped: ignored
  const std::string name = ip_access_doc(body.value(map_.field("ip_save.data_type"), json(0)));
  json& list = document(name)[map_.field("ip_access.list")];
  const std::string ip_key = map_.field("ip_entry.ip");
  std::string old = string_or(body, map_.field("ip_save.old_address"), address);
  if (old.empty()) old = address;
  if (old != address) {  // renamed onto an address that has its own entry: that entry is replaced
    list.erase(std::remove_if(list.begin(), list.end(), [&](const json& e) { return string_or(e, ip_key) == address; }),
               list.end());
  }
  json entry = json::object();
  auto existing = std::find_if(list.begin(), list.end(), [&](const json& e) { return string_or(e, ip_key) == old; });
  if (existing != list.end()) entry = *existing;
  entry[ip_key] = address;
  entry[map_.field("ip_entry.description")] = string_or(body, map_.field("ip_save.description"));
  const json services = body.value(map_.field("ip_save.service_list"), json::array());
  int mask = 0;
  int bit = 1;
  for (const char* svc : {"smtp", "pop", "imap", "xmpp"}) {
    bool on = false;
    for (const auto& s : services) on = on || s == map_.value(std::string("service.") + svc);
    entry[map_.field(std::string("ip_entry.") + svc)] = on;
    if (on) mask |= bit;
    bit <<= 1;
  }
  entry["protocolMask"] = mask;  // lab-only bit layout (the real one is not published)
  if (!entry.contains(map_.field("ip_entry.disabled_greylisting")))
    entry[map_.field("ip_entry.disabled_greylisting")] = false;
  entry[map_.field("ip_entry.spam_bypass")] = body.value(map_.field("ip_save.spam_bypass"), false);
  entry[map_.field("ip_entry.smtp_auth_bypass")] = body.value(map_.field("ip_save.smtp_auth_bypass"), false);
  // The lab's entries carry the Brute Force (IDS) bypass; a save without it keeps what the entry had.
  const std::string brute = map_.field("ip_entry.brute_force_bypass");
  entry[brute] = body.value(map_.field("ip_save.brute_force_bypass"), entry.value(brute, false));
  if (existing != list.end()) {
    *existing = entry;
  } else {
    list.push_back(entry);
  }
  save(name);
  return with_success(json::object());
}

json lab_store::list_ids_blocks(const json& body) {
  const json& blocks = document("ids-blocks")[map_.field("ids_blocks.list")];
  const auto start =
      static_cast<std::size_t>(std::max<long long>(0, body.value(map_.field("blocks_query.start"), 0LL)));
  const auto count =
      static_cast<std::size_t>(std::max<long long>(0, body.value(map_.field("blocks_query.count"), 1000LL)));
  json page = json::array();
  for (std::size_t i = start; i < blocks.size() && i < start + count; ++i) page.push_back(blocks[i]);
  return with_success({{map_.field("ids_blocks.total"), blocks.size()}, {map_.field("ids_blocks.list"), page}});
}

json lab_store::unblock_ips(const json& body) {
  const auto it = body.find(map_.field("unblock.list"));
  if (it == body.end() || !it->is_array()) return with_success(json::object());  // wrongly shaped: ignored
  json& blocks = document("ids-blocks")[map_.field("ids_blocks.list")];
  const std::string ip_key = map_.field("ids_block.ip");
  const std::string type_key = map_.field("ids_block.type");
  const auto before = blocks.size();
  for (const auto& lift : *it) {
    const std::string ip = string_or(lift, ip_key);
    blocks.erase(std::remove_if(blocks.begin(), blocks.end(),
                                [&](const json& b) {
                                  return string_or(b, ip_key) == ip &&
                                         (!lift.contains(type_key) || lift[type_key] == b.value(type_key, json()));
                                }),
                 blocks.end());
  }
  if (blocks.size() != before) save("ids-blocks");
  return with_success(json::object());
}

json lab_store::delete_ip_access(const json& body) {
  const std::string address = string_or(body, map_.field("ip_delete.address"));
  const std::string name = ip_access_doc(body.value(map_.field("ip_delete.data_type"), json(0)));
  json& list = document(name)[map_.field("ip_access.list")];
  const std::string ip_key = map_.field("ip_entry.ip");
  const auto it =
      std::find_if(list.begin(), list.end(), [&](const json& e) { return string_or(e, ip_key) == address; });
  if (it == list.end()) throw lab_error(404, fmt::format("{} is not in the list", address));
  list.erase(it);
  save(name);
  return with_success(json::object());
}

std::map<std::string, json> lab_store::default_documents(const route_map& m) {
  std::map<std::string, json> docs;
  const auto f = [&](const char* key) { return m.field(key); };
  docs["version"] = {{f("version.value"), "100.0.9400"}};
  docs["administrators"] = {{f("admins.list"), json::array({{{f("admin.username"), "admin"},
                                                             {f("admin.primary"), true},
                                                             {f("admin.two_factor"), false},
                                                             {f("admin.two_factor_method"), "None"},
                                                             {f("admin.restrict_by_ip"), false},
                                                             {f("admin.ip_rules"), json::array()}}})}};
  json rules = json::array();
  int n = 0;
  const auto rule = [&](const char* type, const char* service, const char* action, int frame, int threshold, int block,
                        const char* description) {
    rules.push_back({{f("ids_rule.id"), fmt::format("ids-{}", ++n)},
                     {f("ids_rule.type"), m.value(std::string("ids_rule_type.") + type)},
                     {f("ids_rule.service"), service},
                     {f("ids_rule.action"), m.value(std::string("ids_action.") + action)},
                     {f("ids_rule.time_frame"), frame},
                     {f("ids_rule.threshold"), threshold},
                     {f("ids_rule.block_time"), block},
                     {f("ids_rule.description"), description}});
  };
  // Brute Force by IP: the defaults a third party read on a 2026 server ([CX] HostLoginThrottle.cs).
  rule("password_brute_force_by_ip", "All", "delay", 10, 15, 0, "Password brute force by IP (delay)");
  rule("password_brute_force_by_ip", "All", "block", 10, 25, 30, "Password brute force by IP");
  rule("password_brute_force_by_ip", "All", "block", 50, 35, 240, "Password brute force by IP (long)");
  // The rest are lab values (the vendor defaults are not published).
  rule("password_brute_force_by_email", "All", "block", 10, 10, 30, "Password brute force by email address");
  rule("password_retrieval_brute_force", "WebMail", "block", 10, 10, 30, "Password retrieval brute force");
  rule("denial_of_service", "Smtp", "block", 5, 50, 5, "Denial of service (SMTP)");
  rule("denial_of_service", "Imap", "block", 5, 50, 5, "Denial of service (IMAP)");
  rule("denial_of_service", "Pop", "block", 5, 50, 5, "Denial of service (POP)");
  rule("harvesting", "Smtp", "block", 5, 20, 5, "Bad SMTP sessions (harvesting)");
  rule("bounces_indicate_spammer", "Smtp", "block", 10, 50, 30, "Bounces indicate spammer");
  docs["ids-rules"] = {{f("ids.list"), rules}};

  json extensions = {{f("extensions.inbound"), json::array({"exe", "bat", "com", "pif", "scr", "vbs"})},
                     {f("extensions.outbound"), json::array()},
                     {f("extensions.upload"), json::array({"exe"})},
                     {f("extensions.file_system"), json::array()}};
  const std::string format = m.value("extensions.format").get<std::string>();
  for (auto& [k, list] : extensions.items()) {
    std::string csv;
    for (auto& e : list) {
      std::string ext = e.get<std::string>();
      if (format.find("dotted") != std::string::npos) ext = "." + ext;
      e = ext;
      csv += (csv.empty() ? "" : ",") + ext;
    }
    if (format.rfind("csv", 0) == 0) list = csv;
  }
  docs["extension-blacklists"] = {{"settings", extensions}};
  docs["smtp-in"] = {{"settings", {{f("relay.allow_relay"), m.value("allow_relay.local_domains")}}}};

  json white = json::array();
  const auto entry = [&](const char* ip, const char* description, bool auth_bypass, bool spam_bypass) {
    white.push_back({{f("ip_entry.ip"), ip},
                     {"protocolMask", 15},
                     {f("ip_entry.description"), description},
                     {f("ip_entry.smtp"), true},
                     {f("ip_entry.pop"), true},
                     {f("ip_entry.imap"), true},
                     {f("ip_entry.xmpp"), true},
                     {f("ip_entry.disabled_greylisting"), false},
                     {f("ip_entry.smtp_auth_bypass"), auth_bypass},
                     {f("ip_entry.spam_bypass"), spam_bypass},
                     {f("ip_entry.brute_force_bypass"), false}});
  };
  entry("10.0.0.0/8", "Internal IP range", false, false);
  entry("127.0.0.1", "Localhost", false, false);
  entry("172.16.0.0/12", "Internal IP range", false, false);
  entry("192.168.0.0/16", "Internal IP range", false, false);
  entry("198.51.100.0/28", "Partner mail gateway", false, true);
  entry("203.0.113.25", "Old scanner relay", true, false);
  docs["ip-access-whitelist"] = {{f("ip_access.list"), white}};
  docs["ip-access-blacklist"] = {{f("ip_access.list"), json::array()}};
  docs["ids-blocks"] = {{f("ids_blocks.list"), json::array()}};
  return docs;
}

}  // namespace smharden::services::smartermail
