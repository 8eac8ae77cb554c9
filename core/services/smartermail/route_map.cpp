#include "services/smartermail/route_map.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cctype>
#include <set>
#include <stdexcept>
#include <string_view>

#include "base/errors.hpp"
#include "smartermail_routes_json.hpp"  // generated: smartermail_routes_json[]

namespace smharden::services::smartermail {
namespace {

[[noreturn]] void bad(const std::string& origin, const std::string& pointer, const std::string& what) {
  throw core::profile_error(fmt::format("{}: {}: {}", origin, pointer, what));
}

void check_common(const json& entry, const std::string& origin, const std::string& pointer) {
  if (!entry.is_object()) bad(origin, pointer, "must be an object");
  if (!entry.contains("verified") || !entry["verified"].is_boolean()) {
    bad(origin, pointer + "/verified", "must be true or false (was this entry checked against a live server?)");
  }
  if (!entry.contains("source") || !entry["source"].is_string()) {
    bad(origin, pointer + "/source", "must be a string naming where the entry comes from");
  }
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// Every '{' closes with a '}' before the next '{', around a non-empty name.
bool valid_placeholders(const std::string& path) {
  bool open = false;
  std::size_t name_length = 0;
  for (const char c : path) {
    if (c == '{') {
      if (open) return false;
      open = true;
      name_length = 0;
    } else if (c == '}') {
      if (!open || name_length == 0) return false;
      open = false;
    } else if (open) {
      ++name_length;
    }
  }
  return !open;
}

std::set<std::string> placeholders_of(const json& route) {
  std::set<std::string> names;
  const auto it = route.find("path");
  if (it == route.end() || !it->is_string()) return names;
  const std::string& path = it->get_ref<const std::string&>();
  for (std::size_t i = path.find('{'); i != std::string::npos; i = path.find('{', i + 1)) {
    const auto end = path.find('}', i);
    if (end == std::string::npos) break;
    names.insert(path.substr(i + 1, end - i - 1));
  }
  return names;
}

std::string known_keys(const json& section) {
  std::string out;
  for (const auto& [k, v] : section.items()) out += (out.empty() ? "" : ", ") + k;
  return out;
}

}  // namespace

std::string url_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' || u == '_' ||
        u == '.' || u == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(hex[u >> 4]);
      out.push_back(hex[u & 0xF]);
    }
  }
  return out;
}

route_map route_map::embedded() {
  static const json doc = json::parse(smartermail_routes_json);
  return from_json(doc, "routes.json (built in)");
}

route_map route_map::from_json(json doc, const std::string& origin) {
  validate(doc, origin);
  return route_map(std::move(doc));
}

void route_map::validate(const json& doc, const std::string& origin) {
  if (!doc.is_object()) bad(origin, "/", "a route map is a JSON object");
  if (!doc.contains("base_path") || !doc["base_path"].is_string()) bad(origin, "/base_path", "must be a string");
  for (const char* section : {"routes", "fields", "values"}) {
    if (!doc.contains(section) || !doc[section].is_object())
      bad(origin, fmt::format("/{}", section), "must be an object");
  }
  for (const auto& [key, r] : doc["routes"].items()) {
    const std::string p = "/routes/" + key;
    check_common(r, origin, p);
    const std::string method = r.value("method", "");
    if (method != "GET" && method != "POST") bad(origin, p + "/method", "must be \"GET\" or \"POST\"");
    if (!r.contains("path") || !r["path"].is_string() || r["path"].get<std::string>().empty()) {
      bad(origin, p + "/path",
          "must be a non-empty path relative to base_path, e.g. \"settings/sysadmin/get-version\"");
    }
    if (!valid_placeholders(r["path"].get<std::string>())) {
      bad(origin, p + "/path", "has an unbalanced or empty {placeholder}: write {name} with a closing brace");
    }
    if (!r.contains("read") || !r["read"].is_boolean()) bad(origin, p + "/read", "must be true (read-only) or false");
    if (r.contains("response_wrapper") && !r["response_wrapper"].is_null() && !r["response_wrapper"].is_string()) {
      bad(origin, p + "/response_wrapper", "must be null or the name of the object that wraps the answer");
    }
  }
  for (const auto& [key, f] : doc["fields"].items()) {
    const std::string p = "/fields/" + key;
    check_common(f, origin, p);
    if (!f.contains("name") || !f["name"].is_string() || f["name"].get<std::string>().empty()) {
      bad(origin, p + "/name", "must be the API's JSON field name (a non-empty string)");
    }
  }
  for (const auto& [key, v] : doc["values"].items()) {
    const std::string p = "/values/" + key;
    check_common(v, origin, p);
    if (!v.contains("value") || v["value"].is_null()) bad(origin, p + "/value", "is required");
  }
}

void route_map::apply_overrides(const json& config, const std::string& origin) {
  if (!config.is_object()) return;
  json doc = doc_;
  for (const char* section : {"routes", "fields", "values"}) {
    const auto it = config.find(section);
    if (it == config.end()) continue;
    const std::string p = fmt::format("/smartermail/{}", section);
    if (!it->is_object()) bad(origin, p, "must be an object of {\"<key>\": {...}} overrides");
    for (const auto& [key, patch] : it->items()) {
      if (!doc[section].contains(key)) {
        bad(origin, p + "/" + key, fmt::format("unknown {} key; known keys: {}", section, known_keys(doc[section])));
      }
      if (!patch.is_object()) bad(origin, p + "/" + key, "must be an object, e.g. {\"path\": \"...\"}");
      json& entry = doc[section][key];
      const std::set<std::string> placeholders =
          std::string_view(section) == "routes" ? placeholders_of(entry) : std::set<std::string>{};
      entry.merge_patch(patch);
      // An operator's correction counts as verified only when they say so (validate() checks the types).
      if (!patch.contains("verified")) entry["verified"] = false;
      if (!patch.contains("source")) entry["source"] = std::string("override in ") + origin;
      entry["overridden"] = true;
      if (std::string_view(section) == "routes" && entry.contains("path") && entry["path"].is_string() &&
          valid_placeholders(entry["path"].get<std::string>()) && placeholders_of(entry) != placeholders) {
        bad(origin, p + "/" + key + "/path",
            fmt::format(
                "must keep the built-in path's placeholders ({}): smharden fills in only those",
                placeholders.empty() ? std::string("none") : fmt::format("{{{}}}", fmt::join(placeholders, "}, {"))));
      }
    }
  }
  validate(doc, origin + " (after the smartermail overrides)");
  doc_ = std::move(doc);
}

route route_map::get(std::string_view key) const {
  const auto& routes = doc_["routes"];
  const auto it = routes.find(std::string(key));
  if (it == routes.end()) throw std::logic_error(fmt::format("route map: no route \"{}\"", key));
  route r;
  r.key = std::string(key);
  r.method = (*it)["method"].get<std::string>();
  r.path = (*it)["path"].get<std::string>();
  r.read = (*it)["read"].get<bool>();
  if (it->contains("response_wrapper") && (*it)["response_wrapper"].is_string()) {
    r.response_wrapper = (*it)["response_wrapper"].get<std::string>();
  }
  r.verified = (*it)["verified"].get<bool>();
  r.source = (*it)["source"].get<std::string>();
  return r;
}

std::string route_map::field(std::string_view key) const {
  const auto& fields = doc_["fields"];
  const auto it = fields.find(std::string(key));
  if (it == fields.end()) throw std::logic_error(fmt::format("route map: no field \"{}\"", key));
  return (*it)["name"].get<std::string>();
}

const json& route_map::value(std::string_view key) const {
  const auto& values = doc_["values"];
  const auto it = values.find(std::string(key));
  if (it == values.end()) throw std::logic_error(fmt::format("route map: no value \"{}\"", key));
  return (*it)["value"];
}

std::optional<std::string> route_map::member_for(std::string_view group, const json& api_value) const {
  const std::string prefix = std::string(group) + ".";
  for (const auto& [key, v] : doc_["values"].items()) {
    if (key.rfind(prefix, 0) != 0) continue;
    const json& mapped = v["value"];
    const bool equal = mapped == api_value || (mapped.is_string() && api_value.is_string() &&
                                               iequals(mapped.get<std::string>(), api_value.get<std::string>()));
    if (equal) return key.substr(prefix.size());
  }
  return std::nullopt;
}

std::string route_map::url_path(const route& r, const path_args& args) const {
  std::string out = doc_["base_path"].get<std::string>();
  if (out.empty() || out.back() != '/') out.push_back('/');
  const std::string& path = r.path;
  for (std::size_t i = 0; i < path.size();) {
    if (path[i] == '{') {
      const auto end = path.find('}', i);
      if (end == std::string::npos) throw std::logic_error("route map: unclosed { in " + r.key);
      const std::string name = path.substr(i + 1, end - i - 1);
      const auto it = args.find(name);
      if (it == args.end()) throw std::logic_error(fmt::format("route {}: no value for {{{}}}", r.key, name));
      out += url_encode(it->second);
      i = end + 1;
    } else {
      out.push_back(path[i++]);
    }
  }
  return out;
}

}  // namespace smharden::services::smartermail
