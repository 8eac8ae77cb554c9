#include "services/smartermail/probe_documentation.hpp"

#include <algorithm>
#include <cctype>
#include <map>

namespace smharden::services::smartermail {
namespace {

std::string lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

/// `word` occurs in `text` not as part of a longer name ("ip" does not match inside "ipBlocks").
bool has_word(const std::string& text, const std::string& word) {
  for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const bool starts = at == 0 || !word_char(text[at - 1]);
    const std::size_t end = at + word.size();
    if (starts && (end >= text.size() || !word_char(text[end]))) return true;
  }
  return false;
}

/// The part of a route path before its first placeholder, without a trailing '/'.
std::string fixed_path(const std::string& path) {
  std::string out = path.substr(0, path.find('{'));
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

}  // namespace

std::vector<std::string> fields_of_route(const route_map& map, const std::string& route_key) {
  // Which groups of the map's logical field names each route uses.
  static const std::map<std::string, std::vector<std::string>> groups = {
      {"auth.login", {"login.", "token."}},
      {"auth.two_factor", {"two_factor.", "token."}},
      {"auth.refresh", {"refresh.", "token."}},
      {"version.get", {"version."}},
      {"admins.list", {"admins.", "admin.", "ip_rule."}},
      {"admin.get", {"admin.", "ip_rule."}},
      {"admin.save", {"admin.username", "admin.restrict_by_ip", "admin.ip_rules", "ip_rule."}},
      {"ids.rules.list", {"ids.list", "ids_rule."}},
      {"ids.rule.save", {"ids_rule."}},
      {"ids.rule.delete", {"ids_rule.id"}},
      {"extensions.get", {"extensions."}},
      {"extensions.save", {"extensions."}},
      {"relay.get", {"relay."}},
      {"relay.save", {"relay."}},
      {"ip_access.list", {"ip_access.", "search.", "ip_entry."}},
      {"ip_access.save", {"ip_save."}},
      {"ip_access.delete", {"ip_delete."}},
      {"ids.blocks.list", {"blocks_query.", "ids_blocks.", "ids_block."}},
      {"ids.blocks.unblock", {"unblock.", "ids_block.ip", "ids_block.type"}},
  };
  std::vector<std::string> out;
  const auto it = groups.find(route_key);
  if (it == groups.end()) return out;
  for (const auto& [key, entry] : map.document()["fields"].items()) {
    for (const auto& prefix : it->second) {
      const bool group = prefix.back() == '.';
      if (group ? key.rfind(prefix, 0) == 0 : key == prefix) {
        out.push_back(key);
        break;
      }
    }
  }
  return out;
}

json check_documentation(api_backend& api, const route_map& map) {
  json report = {{"available", false}, {"pages", json::array()}, {"routes", json::object()}};
  std::string text;
  for (const auto& page : map.value("documentation.pages")) {
    const std::string path = page.get<std::string>();
    json row = {{"path", path}, {"read", false}};
    try {
      if (const auto body = api.documentation(path)) {
        text += lower(*body) + "\n";
        row["read"] = true;
        report["available"] = true;
      } else {
        row["error"] = "this target has no copy of the server's API reference";
      }
    } catch (const service_error& e) {
      row["error"] = e.what();
    }
    report["pages"].push_back(row);
  }
  if (!report["available"].get<bool>()) return report;
  for (const auto& [key, entry] : map.document()["routes"].items()) {
    const std::string path = lower(fixed_path(entry["path"].get<std::string>()));
    json found = json::array();
    json missing = json::array();
    for (const auto& field : fields_of_route(map, key)) {
      const std::string name = map.field(field);
      (has_word(text, lower(name)) ? found : missing).push_back(name);
    }
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    std::sort(missing.begin(), missing.end());
    missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
    report["routes"][key] = {{"route", !path.empty() && text.find(path) != std::string::npos},
                             {"fields_found", found},
                             {"fields_missing", missing}};
  }
  return report;
}

}  // namespace smharden::services::smartermail
