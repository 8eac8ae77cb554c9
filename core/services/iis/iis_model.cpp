#include "services/iis/iis_model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>

#include "services/service_registry.hpp"

namespace smharden::services::iis {
namespace {

char path_char(char c) {
  if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
  return c == '/' ? '\\' : c;
}

// A path as IIS compares folders: lower case, backslashes, %SystemDrive% and %HomeDrive% as "c:", no
// trailing backslash (except after a drive, "c:\\"). A view: a 10,000-site config is scanned on every
// site lookup, so nothing is allocated per path.
class normalized_path {
 public:
  explicit normalized_path(std::string_view p) : rest_(p) {
    for (const std::string_view var : {std::string_view("%systemdrive%"), std::string_view("%homedrive%")}) {
      if (p.size() >= var.size() &&
          std::equal(var.begin(), var.end(), p.begin(), [](char v, char c) { return v == path_char(c); })) {
        drive_ = "c:";
        rest_ = p.substr(var.size());
        break;
      }
    }
    while (size() > 3 && (*this)[size() - 1] == '\\') rest_.remove_suffix(1);
  }
  size_t size() const { return drive_.size() + rest_.size(); }
  char operator[](size_t i) const { return i < drive_.size() ? drive_[i] : path_char(rest_[i - drive_.size()]); }
  std::string str() const {
    std::string out;
    out.reserve(size());
    for (size_t i = 0; i < size(); ++i) out += (*this)[i];
    return out;
  }

 private:
  std::string_view drive_;
  std::string_view rest_;
};

std::string normalize_path(std::string_view p) { return normalized_path(p).str(); }

std::vector<pugi::xml_node> site_locations(const preserving_xml& doc, std::string_view site) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node loc : doc.root().children("location")) {
    if (iequals(loc.attribute("path").value(), site)) out.push_back(loc);
  }
  return out;
}

json entries_json(pugi::xml_node section) {
  json entries = json::array();
  if (!section) return entries;
  for (pugi::xml_node c : section.children()) {
    const std::string_view kind = c.name();
    if (kind == "clear") {
      entries = json::array();
      continue;
    }
    json e = {{"ip_address", c.attribute("ipAddress").value()},
              {"subnet_mask", c.attribute("subnetMask") ? c.attribute("subnetMask").value() : "255.255.255.255"},
              {"domain_name", c.attribute("domainName").value()},
              {"allowed", parse_bool(c.attribute("allowed").value(), false)}};
    if (kind == "remove") {
      entries.erase(std::remove_if(entries.begin(), entries.end(),
                                   [&](const json& x) {
                                     return x["ip_address"] == e["ip_address"] &&
                                            x["subnet_mask"] == e["subnet_mask"] &&
                                            x["domain_name"] == e["domain_name"];
                                   }),
                    entries.end());
    } else if (kind == "add") {
      entries.push_back(std::move(e));
    }
  }
  return entries;
}

bool has_clear(pugi::xml_node section) { return section && static_cast<bool>(section.child("clear")); }

// The site's value of an attribute, else the server's, else the schema default.
std::string effective(pugi::xml_node site_el, pugi::xml_node server_el, const char* attr, std::string_view fallback) {
  if (site_el && site_el.attribute(attr)) return site_el.attribute(attr).value();
  if (server_el && server_el.attribute(attr)) return server_el.attribute(attr).value();
  return std::string(fallback);
}

// A uint attribute as IIS reads it: decimal digits, at most 4294967295; anything else is the fallback.
unsigned long parse_uint(const std::string& text, unsigned long fallback) {
  std::uint32_t v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  return ec == std::errc() && ptr == end && !text.empty() ? v : fallback;
}

}  // namespace

pugi::xml_node ensure_child(preserving_xml& doc, pugi::xml_node parent, const char* name) {
  pugi::xml_node c = parent.child(name);
  return c ? c : doc.append_element(parent, name);
}

bool has_element_children(pugi::xml_node n) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) return true;
  }
  return false;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

bool parse_bool(std::string_view text, bool fallback) {
  if (iequals(text, "true")) return true;
  if (iequals(text, "false")) return false;
  return fallback;
}

pugi::xml_node sites_node(const preserving_xml& doc) {
  return doc.root().child("system.applicationHost").child("sites");
}

pugi::xml_node require_site(const preserving_xml& doc, std::string_view name) {
  std::vector<std::string> names;
  for (pugi::xml_node s : sites_node(doc).children("site")) {
    if (iequals(s.attribute("name").value(), name)) return s;
    if (names.size() < 10) names.push_back(fmt::format("\"{}\"", s.attribute("name").value()));
  }
  throw service_error("not_found", fmt::format("applicationHost.config has no IIS site named \"{}\" (sites: {})", name,
                                               names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "))));
}

std::string site_app_pool(const preserving_xml& doc, pugi::xml_node site) {
  const pugi::xml_node app = site.find_child_by_attribute("application", "path", "/");
  if (app && app.attribute("applicationPool")) return app.attribute("applicationPool").value();
  const pugi::xml_node defaults = sites_node(doc).child("applicationDefaults");
  if (defaults && defaults.attribute("applicationPool")) return defaults.attribute("applicationPool").value();
  return "DefaultAppPool";
}

std::string site_physical_path(pugi::xml_node site) {
  const pugi::xml_node app = site.find_child_by_attribute("application", "path", "/");
  const pugi::xml_node vdir = app.find_child_by_attribute("virtualDirectory", "path", "/");
  return vdir.attribute("physicalPath").value();
}

json bindings_json(pugi::xml_node site) {
  json out = json::array();
  for (pugi::xml_node b : site.child("bindings").children("binding")) {
    json j = {{"protocol", b.attribute("protocol").value()},
              {"binding_information", b.attribute("bindingInformation").value()}};
    if (b.attribute("sslFlags")) j["ssl_flags"] = b.attribute("sslFlags").as_uint();
    out.push_back(std::move(j));
  }
  return out;
}

json site_json(const preserving_xml& doc, pugi::xml_node site) {
  return {{"name", site.attribute("name").value()},
          {"id", site.attribute("id").as_ullong()},
          {"app_pool", site_app_pool(doc, site)},
          {"physical_path", site_physical_path(site)},
          {"bindings", bindings_json(site)}};
}

folder_matcher::folder_matcher(const std::vector<std::string>& dirs) {
  for (const auto& d : dirs) {
    std::string n = normalize_path(d);
    if (!n.empty()) dirs_.push_back(std::move(n));
  }
}

bool folder_matcher::contains(std::string_view path) const {
  const normalized_path p(path);
  return std::any_of(dirs_.begin(), dirs_.end(), [&](const std::string& d) {
    if (p.size() < d.size() || (p.size() > d.size() && p[d.size()] != '\\')) return false;
    for (size_t i = 0; i < d.size(); ++i) {
      if (p[i] != d[i]) return false;
    }
    return true;
  });
}

const std::vector<site_index::entry>& site_index::sites(const preserving_xml& doc) {
  // Edits outside <sites> (app pools, <location> sections) leave the index as it is.
  const pugi::xml_node sites = sites_node(doc);
  const std::uint64_t generation = doc.generation_of(sites);
  if (generation_ != 0 && sites == sites_ && generation_ == generation) return entries_;
  entries_.clear();
  // One walk over <sites>' children (applicationDefaults follows 10,000 sites); sites without their
  // own pool get the default afterwards.
  pugi::xml_node defaults;
  std::vector<size_t> without_pool;
  for (pugi::xml_node c = sites.first_child(); c; c = c.next_sibling()) {
    const std::string_view name = c.name();
    if (name == "applicationDefaults" && !defaults) defaults = c;
    if (name != "site") continue;
    const pugi::xml_node app = c.find_child_by_attribute("application", "path", "/");
    const pugi::xml_attribute pool = app.attribute("applicationPool");
    const pugi::xml_node vdir = app.find_child_by_attribute("virtualDirectory", "path", "/");
    if (!pool) without_pool.push_back(entries_.size());
    entries_.push_back({c, pool.value(), vdir.attribute("physicalPath").value()});
  }
  const pugi::xml_attribute default_pool = defaults.attribute("applicationPool");
  for (const size_t i : without_pool) entries_[i].app_pool = default_pool ? default_pool.value() : "DefaultAppPool";
  sites_ = sites;
  generation_ = generation;
  return entries_;
}

const std::vector<pugi::xml_node>& site_index::sites_under(const preserving_xml& doc,
                                                           const std::vector<std::string>& dirs) {
  const std::vector<entry>& all = sites(doc);
  if (match_generation_ == generation_ && match_dirs_ == dirs) return match_hits_;
  const folder_matcher under(dirs);
  match_hits_.clear();
  for (const entry& s : all) {
    if (under.contains(s.physical_path)) match_hits_.push_back(s.site);
  }
  match_dirs_ = dirs;
  match_generation_ = generation_;
  return match_hits_;
}

pugi::xml_node find_app_pool(const preserving_xml& doc, std::string_view name) {
  for (pugi::xml_node p : doc.root().child("system.applicationHost").child("applicationPools").children("add")) {
    if (iequals(p.attribute("name").value(), name)) return p;
  }
  return {};
}

pugi::xml_node require_app_pool(const preserving_xml& doc, std::string_view name) {
  const pugi::xml_node p = find_app_pool(doc, name);
  if (!p)
    throw service_error("not_found", fmt::format("applicationHost.config has no application pool named \"{}\"", name));
  return p;
}

std::string password_state(std::string_view v) {
  if (v.empty()) return "absent";
  if (v.starts_with("[enc:")) return "encrypted";
  if (v.starts_with("[set-by-smharden:")) return "marker";
  return "clear-text";
}

json app_pool_json(const preserving_xml& doc, pugi::xml_node pool, site_index& sites) {
  const pugi::xml_node pm = pool.child("processModel");
  // The defaults follow every pool: looked up only when the pool does not say.
  const pugi::xml_node defaults = pm.attribute("identityType") ? pugi::xml_node()
                                                               : doc.root()
                                                                     .child("system.applicationHost")
                                                                     .child("applicationPools")
                                                                     .child("applicationPoolDefaults")
                                                                     .child("processModel");
  const std::string identity = effective(pm, defaults, "identityType", "ApplicationPoolIdentity");
  json pool_sites = json::array();
  const std::string_view name = pool.attribute("name").value();
  for (const site_index::entry& s : sites.sites(doc)) {
    if (iequals(s.app_pool, name)) pool_sites.push_back(s.site.attribute("name").value());
  }
  return {{"name", pool.attribute("name").value()},
          {"identity_type", identity},
          {"identity_type_explicit", static_cast<bool>(pm.attribute("identityType"))},
          {"user_name", pm.attribute("userName").value()},
          {"password", password_state(pm.attribute("password").value())},
          {"sites", std::move(pool_sites)}};
}

pugi::xml_node find_site_section(const preserving_xml& doc, std::string_view site, std::string_view section) {
  for (pugi::xml_node loc : site_locations(doc, site)) {
    const pugi::xml_node s = loc.child("system.webServer").child("security").child(std::string(section).c_str());
    if (s) return s;
  }
  return {};
}

pugi::xml_node ensure_site_section(preserving_xml& doc, std::string_view site, const char* section) {
  if (pugi::xml_node s = find_site_section(doc, site, section)) return s;
  const std::vector<pugi::xml_node> locs = site_locations(doc, site);
  pugi::xml_node loc;
  // Prefer a location that already holds system.webServer and does not change override modes.
  for (pugi::xml_node l : locs) {
    if (!l.attribute("overrideMode") && l.child("system.webServer")) loc = l;
  }
  if (!loc) {
    for (pugi::xml_node l : locs) {
      if (!l.attribute("overrideMode")) loc = l;
    }
  }
  if (!loc) {
    loc = doc.append_element(doc.root(), "location");
    doc.set_attribute(loc, "path", site);
  }
  pugi::xml_node web = ensure_child(doc, loc, "system.webServer");
  pugi::xml_node security = ensure_child(doc, web, "security");
  return doc.append_element(security, section);
}

void remove_site_section(preserving_xml& doc, std::string_view site, std::string_view section) {
  pugi::xml_node s = find_site_section(doc, site, section);
  if (!s) return;
  pugi::xml_node security = s.parent();
  doc.remove_element(s);
  pugi::xml_node web = security.parent();
  pugi::xml_node loc = web.parent();
  if (!has_element_children(security) && !security.first_attribute()) doc.remove_element(security);
  if (!has_element_children(web) && !web.first_attribute()) doc.remove_element(web);
  if (!has_element_children(loc)) doc.remove_element(loc);
}

pugi::xml_node server_section(const preserving_xml& doc, std::string_view section) {
  return doc.root().child("system.webServer").child("security").child(std::string(section).c_str());
}

std::string element_xml(pugi::xml_node element) {
  struct writer : pugi::xml_writer {
    std::string out;
    void write(const void* data, size_t size) override { out.append(static_cast<const char*>(data), size); }
  } w;
  element.print(w, "", pugi::format_raw, pugi::encoding_utf8);
  return w.out;
}

json ip_security_json(const preserving_xml& doc, std::string_view site) {
  const pugi::xml_node s = find_site_section(doc, site, "ipSecurity");
  const pugi::xml_node server = server_section(doc, "ipSecurity");
  json j = {{"site", std::string(site)},
            {"configured", static_cast<bool>(s)},
            {"allow_unlisted", parse_bool(effective(s, server, "allowUnlisted", "true"), true)},
            {"deny_action", effective(s, server, "denyAction", "Forbidden")},
            {"enable_reverse_dns", parse_bool(effective(s, server, "enableReverseDns", "false"), false)},
            {"enable_proxy_mode", parse_bool(effective(s, server, "enableProxyMode", "false"), false)},
            {"entries", entries_json(s)},
            {"inherited_entries", has_clear(s) ? json::array() : entries_json(server)}};
  return j;
}

json dynamic_ip_security_json(const preserving_xml& doc, std::string_view site) {
  const pugi::xml_node s = find_site_section(doc, site, "dynamicIpSecurity");
  const pugi::xml_node server = server_section(doc, "dynamicIpSecurity");
  auto sub = [](pugi::xml_node n, const char* name) { return n ? n.child(name) : pugi::xml_node(); };
  const pugi::xml_node sc = sub(s, "denyByConcurrentRequests");
  const pugi::xml_node vc = sub(server, "denyByConcurrentRequests");
  const pugi::xml_node sr = sub(s, "denyByRequestRate");
  const pugi::xml_node vr = sub(server, "denyByRequestRate");
  return {{"site", std::string(site)},
          {"configured", static_cast<bool>(s)},
          {"deny_action", effective(s, server, "denyAction", "Forbidden")},
          {"enable_proxy_mode", parse_bool(effective(s, server, "enableProxyMode", "false"), false)},
          {"enable_logging_only_mode", parse_bool(effective(s, server, "enableLoggingOnlyMode", "false"), false)},
          {"deny_by_concurrent_requests",
           {{"enabled", parse_bool(effective(sc, vc, "enabled", "false"), false)},
            {"max_concurrent_requests", parse_uint(effective(sc, vc, "maxConcurrentRequests", "5"), 5)}}},
          {"deny_by_request_rate",
           {{"enabled", parse_bool(effective(sr, vr, "enabled", "false"), false)},
            {"max_requests", parse_uint(effective(sr, vr, "maxRequests", "20"), 20)},
            {"request_interval_ms", parse_uint(effective(sr, vr, "requestIntervalInMilliseconds", "200"), 200)}}}};
}

json modules_json(const preserving_xml& doc) {
  const pugi::xml_node web = doc.root().child("system.webServer");
  json global = json::array();
  for (pugi::xml_node m : web.child("globalModules").children("add")) global.push_back(m.attribute("name").value());
  // Modules are enabled in <modules>, at server level or in the root <location path="">.
  std::vector<pugi::xml_node> module_lists{web.child("modules")};
  for (pugi::xml_node loc : doc.root().children("location")) {
    if (std::string_view(loc.attribute("path").value()).empty()) {
      module_lists.push_back(loc.child("system.webServer").child("modules"));
    }
  }
  auto installed = [&](std::string_view name) {
    return std::any_of(global.begin(), global.end(),
                       [&](const json& g) { return iequals(g.get<std::string>(), name); });
  };
  auto enabled = [&](const char* name) {
    return std::any_of(module_lists.begin(), module_lists.end(),
                       [&](pugi::xml_node list) { return list && list.find_child_by_attribute("add", "name", name); });
  };
  return {{"ip_restriction_installed", installed("IpRestrictionModule")},
          {"dynamic_ip_restriction_installed", installed("DynamicIpRestrictionModule")},
          {"ip_restriction_enabled", enabled("IpRestrictionModule")},
          {"dynamic_ip_restriction_enabled", enabled("DynamicIpRestrictionModule")},
          {"global_modules", std::move(global)}};
}

}  // namespace smharden::services::iis
