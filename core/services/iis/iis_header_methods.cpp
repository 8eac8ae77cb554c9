// iis.headers.* (a site's custom response headers, system.webServer/httpProtocol/customHeaders
// in <location path="SITE">) and iis.hsts.* (IIS 10's <hsts> element of a <site>): one function
// per method and per undo, so that a plugin adding HSTS or removing X-Powered-By needs no OS access.
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "services/iis/iis_method_support.hpp"

namespace smharden::services::iis {
namespace {

// ---- the site's customHeaders section ------------------------------------------------

pugi::xml_node element_child(pugi::xml_node parent, const char* name) {
  return parent ? parent.child(name) : pugi::xml_node();
}

pugi::xml_node site_custom_headers(const preserving_xml& d, std::string_view site) {
  for (pugi::xml_node loc : d.root().children("location")) {
    if (!iequals(loc.attribute("path").value(), site)) continue;
    if (auto s = loc.child("system.webServer").child("httpProtocol").child("customHeaders")) return s;
  }
  return {};
}

// Like the security sections: a <location path=SITE> without overrideMode, preferring one that
// already holds system.webServer; a new one at the end of the file otherwise.
pugi::xml_node ensure_site_custom_headers(preserving_xml& d, std::string_view site) {
  if (pugi::xml_node s = site_custom_headers(d, site)) return s;
  pugi::xml_node loc;
  for (pugi::xml_node l : d.root().children("location")) {
    if (!iequals(l.attribute("path").value(), site) || l.attribute("overrideMode")) continue;
    if (!loc || (!loc.child("system.webServer") && l.child("system.webServer"))) loc = l;
  }
  if (!loc) {
    loc = d.append_element(d.root(), "location");
    d.set_attribute(loc, "path", site);
  }
  pugi::xml_node protocol = ensure_child(d, ensure_child(d, loc, "system.webServer"), "httpProtocol");
  return d.append_element(protocol, "customHeaders");
}

void remove_site_custom_headers(preserving_xml& d, std::string_view site) {
  pugi::xml_node s = site_custom_headers(d, site);
  if (!s) return;
  pugi::xml_node protocol = s.parent();
  d.remove_element(s);
  pugi::xml_node web = protocol.parent();
  pugi::xml_node loc = web.parent();
  if (!has_element_children(protocol) && !protocol.first_attribute()) d.remove_element(protocol);
  if (!has_element_children(web) && !web.first_attribute()) d.remove_element(web);
  if (!has_element_children(loc)) d.remove_element(loc);
}

// Applies a customHeaders collection's <add>, <remove> and <clear> in order, as IIS merges them.
void merge_headers(pugi::xml_node section, json& headers) {
  if (!section) return;
  for (pugi::xml_node c : section.children()) {
    const std::string_view kind = c.name();
    const std::string name = c.attribute("name").value();
    if (kind == "clear") {
      headers = json::array();
      continue;
    }
    if (kind != "add" && kind != "remove") continue;
    json kept = json::array();
    for (const json& h : headers) {
      if (!iequals(h["name"].get<std::string>(), name)) kept.push_back(h);
    }
    headers = std::move(kept);
    if (kind == "add") headers.push_back({{"name", name}, {"value", c.attribute("value").value()}});
  }
}

json server_headers(const preserving_xml& d) {
  json headers = json::array();
  merge_headers(element_child(d.root().child("system.webServer").child("httpProtocol"), "customHeaders"), headers);
  return headers;
}

json headers_json(const preserving_xml& d, const std::string& site) {
  const json inherited = server_headers(d);
  json headers = inherited;
  const pugi::xml_node s = site_custom_headers(d, site);
  merge_headers(s, headers);
  return json{{"site", site}, {"configured", static_cast<bool>(s)}, {"headers", headers}, {"inherited", inherited}};
}

const json* find_header(const json& headers, const std::string& name) {
  for (const json& h : headers) {
    if (iequals(h["name"].get<std::string>(), name)) return &h;
  }
  return nullptr;
}

std::string header_name(const json& p) {
  const std::string name = require_string(p, "name");
  if (name.empty() || name.find_first_of(" \t\r\n:") != std::string::npos) {
    throw service_error("invalid_params", fmt::format("\"{}\" is not an HTTP header name", name));
  }
  return name;
}

// Drops the site's own <add> elements for `name`.
void drop_site_adds(preserving_xml& d, const std::string& site, const std::string& name) {
  pugi::xml_node s = site_custom_headers(d, site);
  if (!s) return;
  std::vector<pugi::xml_node> drop;
  for (pugi::xml_node a : s.children("add")) {
    if (iequals(a.attribute("name").value(), name)) drop.push_back(a);
  }
  for (pugi::xml_node a : drop) d.remove_element(a);
}

// After drop_site_adds: a <remove> when the header still comes from the server level.
void remove_inherited(preserving_xml& d, const std::string& site, const std::string& name) {
  if (find_header(headers_json(d, site)["headers"], name) == nullptr) return;
  pugi::xml_node r = d.append_element(ensure_site_custom_headers(d, site), "remove");
  d.set_attribute(r, "name", name);
}

std::string site_name(iis_service& self, const json& p) {
  return require_site(self.doc(), require_string(p, "site")).attribute("name").value();
}

json headers_get(iis_service& self, const json& p) { return headers_json(self.doc(), site_name(self, p)); }

json headers_set(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
  const std::string site = site_name(self, p);
  const std::string name = header_name(p);
  const std::string value = require_string(p, "value");
  const json before = headers_json(d, site);
  if (const json* h = find_header(before["headers"], name); h != nullptr && (*h)["value"] == value) return before;
  drop_site_adds(d, site, name);
  remove_inherited(d, site, name);
  pugi::xml_node add = d.append_element(ensure_site_custom_headers(d, site), "add");
  d.set_attribute(add, "name", name);
  d.set_attribute(add, "value", value);
  return headers_json(d, site);
}

json headers_remove(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
  const std::string site = site_name(self, p);
  const std::string name = header_name(p);
  const json before = headers_json(d, site);
  if (find_header(before["headers"], name) == nullptr) return before;
  drop_site_adds(d, site, name);
  remove_inherited(d, site, name);
  return headers_json(d, site);
}

undo_record snapshot_headers(iis_service& self, const json& p) {
  const std::string site = site_name(self, p);
  const pugi::xml_node s = site_custom_headers(self.doc(), site);
  undo_record u;
  u.description = fmt::format("restore the custom response headers of site \"{}\"", site);
  u.calls.push_back(
      {{"method", "iis.headers.restore"}, {"params", {{"site", site}, {"xml", s ? json(element_xml(s)) : json()}}}});
  return u;
}

// The `xml` param of a restore: an element named `name`, or none for null.
void parse_fragment(const json& p, const char* name, pugi::xml_document& fragment) {
  const auto it = p.find("xml");
  if (it == p.end() || it->is_null()) return;
  if (!it->is_string() ||
      !fragment.load_string(it->get<std::string>().c_str(), pugi::parse_default | pugi::parse_ws_pcdata) ||
      std::string_view(fragment.document_element().name()) != name) {
    throw service_error("invalid_params", fmt::format("xml is not a <{}> element", name));
  }
}

json headers_restore(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
  const std::string site = site_name(self, p);
  pugi::xml_document fragment;
  parse_fragment(p, "customHeaders", fragment);
  const pugi::xml_node current = site_custom_headers(d, site);
  const pugi::xml_node want = fragment.document_element();
  if ((!current && !want) || (current && want && element_xml(current) == element_xml(want))) {
    return json{{"site", site}, {"restored", false}};
  }
  remove_site_custom_headers(d, site);
  if (want) {
    pugi::xml_node placeholder = ensure_site_custom_headers(d, site);
    d.append_copy(placeholder.parent(), want);
    d.remove_element(placeholder);
  }
  return json{{"site", site}, {"restored", true}};
}

// ---- HSTS ---------------------------------------------------------------------------

struct hsts_attribute {
  const char* key;        // the JSON name
  const char* attribute;  // the XML name
  bool is_bool;
};
constexpr hsts_attribute hsts_attributes[] = {{"enabled", "enabled", true},
                                              {"max_age", "max-age", false},
                                              {"include_subdomains", "includeSubDomains", true},
                                              {"preload", "preload", true},
                                              {"redirect_http_to_https", "redirectHttpToHttps", true}};

// Whether this IIS knows <hsts> (IIS 10.0 version 1709 and later): its schema file says so. A lab
// models such an IIS; an offline copy without its schema folder cannot tell (null).
json hsts_supported(iis_service& self) {
  const auto schema = self.path().parent_path() / "schema" / "IIS_schema.xml";
  std::error_code ec;
  if (std::filesystem::exists(schema, ec)) {
    std::ifstream in(schema, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in.good() && !in.eof()) return nullptr;
    return text.str().find("<element name=\"hsts\"") != std::string::npos;
  }
  if (self.target_info().kind == target_kind::lab) return true;
  return nullptr;
}

json hsts_json(iis_service& self, pugi::xml_node site) {
  const pugi::xml_node h = site.child("hsts");
  json out = {{"site", site.attribute("name").value()},
              {"supported", hsts_supported(self)},
              {"configured", static_cast<bool>(h)}};
  for (const hsts_attribute& a : hsts_attributes) {
    const char* text = h.attribute(a.attribute).value();
    if (a.is_bool) {
      out[a.key] = parse_bool(text, false);
    } else {
      out[a.key] = uint32_value(json(std::strtoull(text, nullptr, 10))).value_or(0);
    }
  }
  return out;
}

json hsts_get(iis_service& self, const json& p) {
  return hsts_json(self, require_site(self.doc(), require_string(p, "site")));
}

json hsts_set(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
  const pugi::xml_node site = require_site(d, require_string(p, "site"));
  const json before = hsts_json(self, site);
  std::vector<std::pair<const char*, std::string>> edits;
  for (const hsts_attribute& a : hsts_attributes) {
    if (a.is_bool) {
      if (const auto v = optional_bool(p, a.key); v && before[a.key] != *v)
        edits.emplace_back(a.attribute, bool_text(*v));
    } else if (const auto v = optional_uint(p, a.key); v && before[a.key] != *v) {
      edits.emplace_back(a.attribute, std::to_string(*v));
    }
  }
  if (edits.empty()) return before;
  if (before["supported"] != true) {
    throw service_error("unavailable",
                        fmt::format("this IIS {} the <hsts> element (IIS 10.0 version 1709 and later); send a "
                                    "Strict-Transport-Security header with iis.headers.set instead",
                                    before["supported"] == false ? "has no"
                                                                 : "may not have (no schema file beside "
                                                                   "applicationHost.config to tell)"));
  }
  pugi::xml_node h = site.child("hsts");
  if (!h) h = d.append_element(site, "hsts");
  for (const auto& [attribute, value] : edits) d.set_attribute(h, attribute, value);
  return hsts_json(self, site);
}

undo_record snapshot_hsts(iis_service& self, const json& p) {
  const pugi::xml_node site = require_site(self.doc(), require_string(p, "site"));
  const pugi::xml_node h = site.child("hsts");
  undo_record u;
  u.description = fmt::format("restore the HSTS settings of site \"{}\"", site.attribute("name").value());
  u.calls.push_back(
      {{"method", "iis.hsts.restore"},
       {"params", {{"site", site.attribute("name").value()}, {"xml", h ? json(element_xml(h)) : json()}}}});
  return u;
}

json hsts_restore(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
  const pugi::xml_node site = require_site(d, require_string(p, "site"));
  pugi::xml_document fragment;
  parse_fragment(p, "hsts", fragment);
  const pugi::xml_node current = site.child("hsts");
  const pugi::xml_node want = fragment.document_element();
  if ((!current && !want) || (current && want && element_xml(current) == element_xml(want))) {
    return json{{"site", site.attribute("name").value()}, {"restored", false}};
  }
  if (current) d.remove_element(current);
  if (want) d.append_copy(site, want);
  return json{{"site", site.attribute("name").value()}, {"restored", true}};
}

const method_entry<iis_service> header_method_table[] = {
    {"iis.headers.get",
     access::read_only,
     "a site's effective custom response headers (server level merged with the site's `<location>`: `add`, "
     "`remove`, `clear` in order)",
     {"`{site}`", "`{site, configured, headers: [{name, value}], inherited: [{name, value}]}`", ""},
     &headers_get},
    {"iis.headers.set",
     access::mutating,
     "make a site send header `name` with `value`, in its `<location>`'s customHeaders (a `remove` first when the "
     "server level sends it with another value); nothing changes when it already does",
     {"`{site, name, value}`", "as `iis.headers.get`", "`iis.headers.restore` with the previous section XML (or null)"},
     &headers_set,
     &snapshot_headers},
    {"iis.headers.remove",
     access::mutating,
     "make a site stop sending header `name` (e.g. `X-Powered-By`): its own `add` is dropped and an inherited one "
     "gets a `remove`; nothing changes when it is not sent",
     {"`{site, name}`", "as `iis.headers.get`", "`iis.headers.restore` with the previous section XML (or null)"},
     &headers_remove,
     &snapshot_headers},
    {"iis.headers.restore",
     access::mutating,
     "undo of the header edits: replaces the site's customHeaders section; null removes it and the wrappers it "
     "leaves empty",
     {"`{site, xml | null}`", "`{site, restored}`", "`iis.headers.restore` with the current section XML (or null)"},
     &headers_restore,
     &snapshot_headers},
    {"iis.hsts.get",
     access::read_only,
     "a site's HSTS settings (IIS 10.0 version 1709 and later: `<hsts>` in the `<site>`); `supported` is what the "
     "schema file beside applicationHost.config says (a lab: true; no schema file elsewhere: null)",
     {"`{site}`",
      "`{site, supported, configured, enabled, max_age, include_subdomains, preload, redirect_http_to_https}`", ""},
     &hsts_get},
    {"iis.hsts.set",
     access::mutating,
     "set a site's HSTS attributes; only differing ones are written; an IIS whose schema has no `<hsts>` (or "
     "cannot tell) → `unavailable` (send a Strict-Transport-Security header with `iis.headers.set` instead)",
     {"`{site}` and any of `enabled, max_age, include_subdomains, preload, redirect_http_to_https`",
      "as `iis.hsts.get`", "`iis.hsts.restore` with the previous `<hsts>` XML (or null)"},
     &hsts_set,
     &snapshot_hsts},
    {"iis.hsts.restore",
     access::mutating,
     "undo of `iis.hsts.set`: replaces the site's `<hsts>` element; null removes it",
     {"`{site, xml | null}`", "`{site, restored}`", "`iis.hsts.restore` with the current `<hsts>` XML (or null)"},
     &hsts_restore,
     &snapshot_hsts},
};

}  // namespace

std::span<const method_entry<iis_service>> header_methods() { return header_method_table; }

}  // namespace smharden::services::iis
