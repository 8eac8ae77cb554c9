// iis.bindings.*, iis.modules.get, iis.ip_security.*, iis.dynamic_ip_security.*
// and iis.section.restore: one function per method and per undo.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <smharden/common/binding_information.hpp>
#include <string_view>
#include <vector>

#include "services/iis/iis_method_support.hpp"

namespace smharden::services::iis {
namespace {

constexpr const char* deny_actions[] = {"AbortRequest", "Unauthorized", "Forbidden", "NotFound"};

// ---- bindings ---------------------------------------------------------------------

bool same_binding(pugi::xml_node b, const json& want) {
  return iequals(b.attribute("protocol").value(), want["protocol"].get<std::string>()) &&
         iequals(b.attribute("bindingInformation").value(), want["binding_information"].get<std::string>());
}

bool same_binding(const json& a, const json& b) {
  return iequals(a["protocol"].get<std::string>(), b["protocol"].get<std::string>()) &&
         iequals(a["binding_information"].get<std::string>(), b["binding_information"].get<std::string>());
}

json bindings_get(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
  const pugi::xml_node site = require_site(d, require_string(p, "site"));
  return json{{"site", site.attribute("name").value()}, {"bindings", bindings_json(site)}};
}

json bindings_on_port(iis_service& self, const json& p) {
  if (!p.contains("port") || !p["port"].is_number_integer() || p["port"].get<long>() < 1 ||
      p["port"].get<long>() > 65535) {
    throw service_error("invalid_params", "port must be a TCP port number (1-65535)");
  }
  const std::string port = std::to_string(p["port"].get<long>());
  preserving_xml& d = self.doc();
  json out = json::array();
  for (pugi::xml_node site : sites_node(d).children("site")) {
    for (pugi::xml_node b : site.child("bindings").children("binding")) {
      const char* info = b.attribute("bindingInformation").value();
      const auto parts = common::split_binding_information(info);
      if (!parts || parts->port != port) continue;
      out.push_back({{"site", site.attribute("name").value()},
                     {"protocol", b.attribute("protocol").value()},
                     {"binding_information", info}});
    }
  }
  return json{{"port", p["port"]}, {"bindings", std::move(out)}};
}

// Undo of every bindings edit: iis.bindings.set with the site's bindings as they are now.
undo_record snapshot_bindings(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
  const pugi::xml_node site = require_site(d, require_string(p, "site"));
  undo_record u;
  u.description = fmt::format("restore the bindings of site \"{}\"", site.attribute("name").value());
  u.calls.push_back({{"method", "iis.bindings.set"},
                     {"params", {{"site", site.attribute("name").value()}, {"bindings", bindings_json(site)}}}});
  return u;
}

// Makes the site's bindings exactly `want`: kept bindings keep their element, others are removed,
// new ones appended.
json set_bindings(iis_service& self, pugi::xml_node site, const std::vector<json>& want) {
  preserving_xml& d = self.doc();
  if (want.empty()) {
    throw service_error("refused",
                        fmt::format("refusing to leave site \"{}\" with no binding", site.attribute("name").value()));
  }
  pugi::xml_node bindings = site.child("bindings");
  if (!bindings) bindings = d.append_element(site, "bindings");
  std::vector<pugi::xml_node> drop;
  for (auto b : bindings.children("binding")) {
    if (std::none_of(want.begin(), want.end(), [&](const json& w) { return same_binding(b, w); })) drop.push_back(b);
  }
  for (const json& w : want) {
    pugi::xml_node have;
    for (auto b : bindings.children("binding")) {
      if (same_binding(b, w)) have = b;
    }
    if (!have) {
      have = d.append_element(bindings, "binding");
      d.set_attribute(have, "protocol", w["protocol"].get<std::string>());
      d.set_attribute(have, "bindingInformation", w["binding_information"].get<std::string>());
    }
    if (w.contains("ssl_flags")) d.set_attribute(have, "sslFlags", std::to_string(w["ssl_flags"].get<std::uint32_t>()));
  }
  for (auto b : drop) d.remove_element(b);
  return json{{"site", site.attribute("name").value()}, {"bindings", bindings_json(site)}};
}

json bindings_set(iis_service& self, const json& p) {
  const pugi::xml_node site = require_site(self.doc(), require_string(p, "site"));
  const auto it = p.find("bindings");
  if (it == p.end() || !it->is_array()) {
    throw service_error("invalid_params", "parameter \"bindings\" (array) is required");
  }
  std::vector<json> want;
  for (const json& b : *it) want.push_back(binding_params(b));
  return set_bindings(self, site, want);
}

json bindings_add(iis_service& self, const json& p) {
  const pugi::xml_node site = require_site(self.doc(), require_string(p, "site"));
  std::vector<json> want;
  for (const json& b : bindings_json(site)) want.push_back(b);
  const json add = binding_params(p);
  const bool present = std::any_of(want.begin(), want.end(), [&](const json& w) { return same_binding(w, add); });
  if (!present) want.push_back(add);
  return set_bindings(self, site, want);
}

json bindings_remove(iis_service& self, const json& p) {
  const pugi::xml_node site = require_site(self.doc(), require_string(p, "site"));
  const json drop = binding_params(p);
  std::vector<json> want;
  for (const json& b : bindings_json(site)) {
    if (!same_binding(b, drop)) want.push_back(b);
  }
  return set_bindings(self, site, want);
}

json modules_get(iis_service& self, const json& /*p*/) { return modules_json(self.doc()); }

// ---- per-site security sections -------------------------------------------------------

// Undo of a section edit: iis.section.restore with the site's section as it is now (null: absent).
undo_record snapshot_section(iis_service& self, const json& p, const std::string& section) {
  preserving_xml& d = self.doc();
  const std::string site = require_site(d, require_string(p, "site")).attribute("name").value();
  const pugi::xml_node s = find_site_section(d, site, section);
  undo_record u;
  u.description = fmt::format("restore {} of site \"{}\"", section, site);
  u.calls.push_back({{"method", "iis.section.restore"},
                     {"params", {{"site", site}, {"section", section}, {"xml", s ? json(element_xml(s)) : json()}}}});
  return u;
}

undo_record snapshot_ip_security(iis_service& self, const json& p) { return snapshot_section(self, p, "ipSecurity"); }

undo_record snapshot_dynamic_ip_security(iis_service& self, const json& p) {
  return snapshot_section(self, p, "dynamicIpSecurity");
}

undo_record snapshot_named_section(iis_service& self, const json& p) {
  return snapshot_section(self, p, require_string(p, "section"));
}

json ip_security_get(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
  return ip_security_json(d, require_site(d, require_string(p, "site")).attribute("name").value());
}

// Replaces every entry of an ipSecurity section with `entries`, in order.
void write_ip_entries(preserving_xml& d, pugi::xml_node s, const std::vector<json>& entries) {
  std::vector<pugi::xml_node> old;
  for (auto c : s.children()) {
    if (c.type() == pugi::node_element) old.push_back(c);
  }
  for (auto c : old) d.remove_element(c);
  for (const json& e : entries) {
    pugi::xml_node add = d.append_element(s, "add");
    if (!e["ip_address"].get<std::string>().empty()) {
      d.set_attribute(add, "ipAddress", e["ip_address"].get<std::string>());
      if (e["subnet_mask"] != "255.255.255.255")
        d.set_attribute(add, "subnetMask", e["subnet_mask"].get<std::string>());
    } else {
      d.set_attribute(add, "domainName", e["domain_name"].get<std::string>());
    }
    if (e["allowed"].get<bool>()) d.set_attribute(add, "allowed", "true");
  }
}

json ip_security_set(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
  const std::string site = require_site(d, require_string(p, "site")).attribute("name").value();
  std::optional<std::string> action;
  if (p.contains("deny_action") && !p["deny_action"].is_null()) action = require_enum(p, "deny_action", deny_actions);
  const auto allow_unlisted = optional_bool(p, "allow_unlisted");
  const auto reverse_dns = optional_bool(p, "enable_reverse_dns");
  const auto proxy = optional_bool(p, "enable_proxy_mode");
  std::optional<std::vector<json>> entries;
  if (p.contains("entries") && !p["entries"].is_null()) {
    if (!p["entries"].is_array()) throw service_error("invalid_params", "entries must be an array");
    entries.emplace();
    for (const json& e : p["entries"]) entries->push_back(entry_params(e));
  }
  json before = ip_security_json(d, site);
  const bool entries_same = !entries || before["entries"] == json(*entries);
  const bool attrs_same = (!allow_unlisted || before["allow_unlisted"] == *allow_unlisted) &&
                          (!action || before["deny_action"] == *action) &&
                          (!reverse_dns || before["enable_reverse_dns"] == *reverse_dns) &&
                          (!proxy || before["enable_proxy_mode"] == *proxy);
  if (entries_same && attrs_same) return before;
  pugi::xml_node s = ensure_site_section(d, site, "ipSecurity");
  if (allow_unlisted) d.set_attribute(s, "allowUnlisted", bool_text(*allow_unlisted));
  if (action) d.set_attribute(s, "denyAction", *action);
  if (reverse_dns) d.set_attribute(s, "enableReverseDns", bool_text(*reverse_dns));
  if (proxy) d.set_attribute(s, "enableProxyMode", bool_text(*proxy));
  if (!entries_same) write_ip_entries(d, s, *entries);
  return ip_security_json(d, site);
}

json dynamic_ip_security_get(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
  return dynamic_ip_security_json(d, require_site(d, require_string(p, "site")).attribute("name").value());
}

// One attribute dynamic_ip_security.set writes.
struct attribute_edit {
  const char* element;  // nullptr: the section itself
  const char* attribute;
  std::string value;
};

// The attributes whose wanted value (in `p`) differs from the effective one (in `before`).
std::vector<attribute_edit> dynamic_ip_security_edits(const json& p, const json& before) {
  std::vector<attribute_edit> edits;
  auto want_bool = [&](const json& obj, const json& have, const char* key, const char* element, const char* attr) {
    if (const auto v = optional_bool(obj, key); v && have[key] != *v) edits.push_back({element, attr, bool_text(*v)});
  };
  auto want_uint = [&](const json& obj, const json& have, const char* key, const char* element, const char* attr) {
    if (const auto v = optional_uint(obj, key); v && have[key] != *v) {
      edits.push_back({element, attr, std::to_string(*v)});
    }
  };
  if (p.contains("deny_action") && !p["deny_action"].is_null()) {
    const std::string a = require_enum(p, "deny_action", deny_actions);
    if (before["deny_action"] != a) edits.push_back({nullptr, "denyAction", a});
  }
  want_bool(p, before, "enable_proxy_mode", nullptr, "enableProxyMode");
  want_bool(p, before, "enable_logging_only_mode", nullptr, "enableLoggingOnlyMode");
  if (p.contains("deny_by_concurrent_requests") && p["deny_by_concurrent_requests"].is_object()) {
    const json& c = p["deny_by_concurrent_requests"];
    const json& h = before["deny_by_concurrent_requests"];
    want_bool(c, h, "enabled", "denyByConcurrentRequests", "enabled");
    want_uint(c, h, "max_concurrent_requests", "denyByConcurrentRequests", "maxConcurrentRequests");
  }
  if (p.contains("deny_by_request_rate") && p["deny_by_request_rate"].is_object()) {
    const json& c = p["deny_by_request_rate"];
    const json& h = before["deny_by_request_rate"];
    want_bool(c, h, "enabled", "denyByRequestRate", "enabled");
    want_uint(c, h, "max_requests", "denyByRequestRate", "maxRequests");
    want_uint(c, h, "request_interval_ms", "denyByRequestRate", "requestIntervalInMilliseconds");
  }
  return edits;
}

json dynamic_ip_security_set(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
  const std::string site = require_site(d, require_string(p, "site")).attribute("name").value();
  json before = dynamic_ip_security_json(d, site);
  const std::vector<attribute_edit> edits = dynamic_ip_security_edits(p, before);
  if (edits.empty()) return before;
  pugi::xml_node s = ensure_site_section(d, site, "dynamicIpSecurity");
  for (const attribute_edit& e : edits) {
    pugi::xml_node target_el = s;
    if (e.element != nullptr) {
      target_el = s.child(e.element);
      if (!target_el) target_el = d.append_element(s, e.element);
    }
    d.set_attribute(target_el, e.attribute, e.value);
  }
  return dynamic_ip_security_json(d, site);
}

json section_restore(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
  const std::string site = require_site(d, require_string(p, "site")).attribute("name").value();
  const std::string section = require_string(p, "section");
  if (section != "ipSecurity" && section != "dynamicIpSecurity") {
    throw service_error("invalid_params", "section must be \"ipSecurity\" or \"dynamicIpSecurity\"");
  }
  const auto it = p.find("xml");
  pugi::xml_document fragment;
  if (it != p.end() && !it->is_null()) {
    if (!it->is_string() ||
        !fragment.load_string(it->get<std::string>().c_str(), pugi::parse_default | pugi::parse_ws_pcdata) ||
        section != fragment.document_element().name()) {
      throw service_error("invalid_params", fmt::format("xml is not a <{}> element", section));
    }
  }
  const pugi::xml_node current = find_site_section(d, site, section);
  if (current && fragment.document_element() && element_xml(current) == element_xml(fragment.document_element())) {
    return json{{"site", site}, {"section", section}, {"restored", false}};
  }
  remove_site_section(d, site, section);
  if (fragment.document_element()) {
    pugi::xml_node s = ensure_site_section(d, site, section.c_str());
    d.append_copy(s.parent(), fragment.document_element());
    d.remove_element(s);
  }
  return json{{"site", site}, {"section", section}, {"restored", true}};
}

const method_entry<iis_service> security_method_table[] = {
    {"iis.bindings.get",
     access::read_only,
     "a site's bindings",
     {"`{site}`", "`{site, bindings: [{protocol, binding_information, ssl_flags?}]}`", ""},
     &bindings_get},
    {"iis.bindings.on_port",
     access::read_only,
     "every binding of every site on one TCP port (what answers there), without reading the sites' other settings",
     {"`{port}`", "`{port, bindings: [{site, protocol, binding_information}]}`", ""},
     &bindings_on_port},
    {"iis.bindings.set",
     access::mutating,
     "make a site's bindings exactly `bindings`: kept bindings keep their element, others are removed, new ones "
     "appended; an empty list → `refused`",
     {"`{site, bindings: [{protocol, binding_information, ssl_flags?}]}`", "`{site, bindings}`",
      "`iis.bindings.set` with the previous list"},
     &bindings_set,
     &snapshot_bindings},
    {"iis.bindings.add",
     access::mutating,
     "add a binding to a site (no-op when present)",
     {"`{site, protocol, binding_information, ssl_flags?}`", "`{site, bindings}`",
      "`iis.bindings.set` with the previous list"},
     &bindings_add,
     &snapshot_bindings},
    {"iis.bindings.remove",
     access::mutating,
     "remove a binding from a site; removing the last one → `refused`",
     {"`{site, protocol, binding_information}`", "`{site, bindings}`", "`iis.bindings.set` with the previous list"},
     &bindings_remove,
     &snapshot_bindings},
    {"iis.modules.get",
     access::read_only,
     "whether the IP and Domain Restrictions modules are installed (globalModules) and enabled",
     {"–",
      "`{ip_restriction_installed, dynamic_ip_restriction_installed, ip_restriction_enabled, "
      "dynamic_ip_restriction_enabled, global_modules}`",
      ""},
     &modules_get},
    {"iis.ip_security.get",
     access::read_only,
     "a site's effective ipSecurity (site location, server, schema default)",
     {"`{site}`",
      "`{site, configured, allow_unlisted, deny_action, enable_reverse_dns, enable_proxy_mode, entries: [{ip_address, "
      "subnet_mask, domain_name, allowed}], inherited_entries}`",
      ""},
     &ip_security_get},
    {"iis.ip_security.set",
     access::mutating,
     "set a site's ipSecurity in `<location path=SITE>`; entries are exact and ordered; nothing changes when the "
     "state already matches",
     {"`{site, allow_unlisted?, deny_action?, enable_reverse_dns?, enable_proxy_mode?, entries?}`",
      "as `iis.ip_security.get`", "`iis.section.restore` with the previous section XML (or null)"},
     &ip_security_set,
     &snapshot_ip_security},
    {"iis.dynamic_ip_security.get",
     access::read_only,
     "a site's effective dynamicIpSecurity",
     {"`{site}`",
      "`{site, configured, deny_action, enable_proxy_mode, enable_logging_only_mode, deny_by_concurrent_requests: "
      "{enabled, max_concurrent_requests}, deny_by_request_rate: {enabled, max_requests, request_interval_ms}}`",
      ""},
     &dynamic_ip_security_get},
    {"iis.dynamic_ip_security.set",
     access::mutating,
     "set a site's dynamicIpSecurity; only differing attributes are written",
     {"`{site}` and any of the keys of `iis.dynamic_ip_security.get`", "as `iis.dynamic_ip_security.get`",
      "`iis.section.restore` with the previous section XML (or null)"},
     &dynamic_ip_security_set,
     &snapshot_dynamic_ip_security},
    {"iis.section.restore",
     access::mutating,
     "undo of the section edits: replaces a site's section; null removes it and the wrappers it leaves empty",
     {"`{site, section: ipSecurity | dynamicIpSecurity, xml | null}`", "`{site, section, restored}`",
      "`iis.section.restore` with the current section XML (or null)"},
     &section_restore,
     &snapshot_named_section},
};

}  // namespace

std::span<const method_entry<iis_service>> security_methods() { return security_method_table; }

}  // namespace smharden::services::iis
