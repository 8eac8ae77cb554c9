#include "run/health_targets.hpp"

#include <fmt/format.h>

#include <smharden/common/access_proof.hpp>
#include <smharden/common/binding_information.hpp>
#include <smharden/common/firewall_rules.hpp>
#include <smharden/common/ip_range.hpp>
#include <stdexcept>
#include <vector>

#include "base/ascii_lower.hpp"
#include "base/errors.hpp"
#include "services/url_policy.hpp"

namespace smharden::core {
namespace {

using nlohmann::json;

struct binding_parts {
  std::string protocol;
  std::string ip;
  std::string port;
  std::string host;
};

std::optional<binding_parts> split_binding(const json& b) {
  const std::string info = b.value("binding_information", "");
  const auto parts = common::split_binding_information(info);
  if (!parts) return std::nullopt;
  return binding_parts{util::ascii_lower(b.value("protocol", "")), std::string(parts->ip), std::string(parts->port),
                       std::string(parts->host)};
}

std::string url_of(const std::string& scheme, const std::string& host, const std::string& port) {
  const bool default_port = (scheme == "https" && port == "443") || (scheme == "http" && port == "80");
  return fmt::format("{}://{}{}/", scheme, host, default_port ? "" : ":" + port);
}

std::optional<std::string> named_binding_url(const json& bindings, const std::string& scheme) {
  for (const json& b : bindings) {
    const auto p = split_binding(b);
    if (p && p->protocol == scheme && !p->host.empty()) return url_of(scheme, p->host, p->port);
  }
  return std::nullopt;
}

common::ip_range parse_range(const std::string& text) {
  const auto r = common::parse_written_range(text);
  if (!r) throw std::invalid_argument(fmt::format("\"{}\" is not an address or range", text));
  return r->range;
}

/// The audiences' surfaces the health probe checks, in the matrix's words.
struct audience_surface {
  const char* audience;
  const char* surface;
};
constexpr audience_surface checked_surfaces[] = {{"webmail_users", "webmail"},
                                                 {"mail_clients", "activesync_mapi"},
                                                 {"management", "admin_login"},
                                                 {"relay_apps", "smtp_relay"}};

std::vector<std::string> ranges_of(const json& audiences, const std::string& audience) {
  std::vector<std::string> out;
  for (const json& entry : audiences.value(audience, json::array())) {
    out.push_back(entry.is_object() ? entry.value("address", "") : entry.get<std::string>());
  }
  return out;
}

}  // namespace

std::optional<std::string> public_webmail_url(const json& bindings) {
  if (auto url = named_binding_url(bindings, "https")) return url;
  return named_binding_url(bindings, "http");
}

std::optional<std::string> server_webmail_url(const json& bindings) {
  if (auto url = named_binding_url(bindings, "https")) return url;
  for (const json& b : bindings) {
    const auto p = split_binding(b);
    if (!p || p->protocol != "http") continue;
    if (p->ip == "*" || p->ip.starts_with("127.")) return url_of("http", "127.0.0.1", p->port);
  }
  return std::nullopt;
}

std::string representative_address(const std::string& range, const std::vector<std::string>& narrower) {
  const common::ip_range whole = parse_range(range);
  std::vector<common::ip_range> inside;
  for (const std::string& n : narrower) {
    const common::ip_range r = parse_range(n);
    if (r.family == whole.family && common::contains(whole, r) && !(r == whole)) inside.push_back(r);
  }
  std::vector<common::ip_range> rest = common::subtract_ranges({whole}, inside);
  if (rest.empty()) rest = {whole};
  static const char* const documentation[] = {"192.0.2.200", "198.51.100.200", "203.0.113.200", "2001:db8::200",
                                              "2001:db8:ffff::200"};
  for (const char* candidate : documentation) {
    const common::ip_range c = *common::parse_ip_network(candidate);
    if (c.family == whole.family && common::covered_by(c, rest)) return candidate;
  }
  common::ip_value first = rest.front().first;
  if (!(rest.front().first == rest.front().last)) {  // a network's first address is its own name: take the next
    if (++first.low == 0) ++first.high;
  }
  return common::address_text(whole.family, first);
}

json run_audience_check(const json& check, const services::registry& methods) {
  json row = {{"name", check["name"]},
              {"audience", check["audience"]},
              {"range", check["range"]},
              {"from", check["from"]},
              {"surface", check["surface"]},
              {"model", "lab"},
              {"before_ok", check.value("before_ok", true)}};
  const bool relay = check["surface"] == "smtp_relay";
  const services::method* m = methods.find(relay ? "lab.reach.smtp_relay" : "lab.reach.http");
  try {
    if (m == nullptr) throw services::service_error("not_found", "this target cannot probe from another address");
    json params = {{"from", check["from"]}};
    if (!relay) {
      params["url"] = check["url"];
      params["admin_login"] = check["surface"] == "admin_login";
      row["url"] = check["url"];
    }
    const json r = m->invoke(params);
    row["ok"] = r.value("ok", false);
    if (!relay) row["status"] = r.value("status", json(nullptr));
    if (r.contains("error")) row["error"] = r["error"];
    row["path"] = r.value("path", json::array());
  } catch (const std::exception& e) {
    row["ok"] = false;
    row["error"] = e.what();
  }
  return row;
}

json run_login_check(const services::registry& methods) {
  json row = {{"name", "smartermail_login"}};
  const services::method* m = methods.find("smartermail.version.get");
  try {
    if (m == nullptr) {
      throw services::service_error("not_found", "smartermail.version.get is not available on this target");
    }
    const json r = m->invoke(json::object());
    row["ok"] = true;
    row["build"] = r.value("build", json(nullptr));
  } catch (const std::exception& e) {
    row["ok"] = false;
    row["error"] = e.what();
  }
  return row;
}

json run_webmail_check(const json& settings, const services::registry& methods) {
  json row = {{"name", "webmail"}, {"url", settings["url"]}};
  if (settings.contains("before_ok")) row["before_ok"] = settings["before_ok"];
  const bool on_lab = settings.value("derived", false) && methods.find("lab.reach.http") != nullptr;
  json params = settings;
  params.erase("derived");
  params.erase("public_url");
  params.erase("before_ok");
  const services::method* m = methods.find(on_lab ? "lab.reach.http" : "net.http.probe");
  try {
    if (m == nullptr) throw services::service_error("not_found", "net.http.probe is not available on this target");
    if (on_lab) {
      params = {{"url", settings["url"]}, {"from", "127.0.0.1"}};
      if (settings.contains("expect_status")) params["expect_status"] = settings["expect_status"];
      row["model"] = "lab";
    }
    const json r = m->invoke(params);
    row["ok"] = r.value("ok", false);
    row["status"] = r.value("status", json(nullptr));
    if (r.contains("elapsed_ms")) row["elapsed_ms"] = r["elapsed_ms"];
    if (r.contains("error")) row["error"] = r["error"];
  } catch (const std::exception& e) {
    row["ok"] = false;
    row["error"] = e.what();
  }
  return row;
}

json resolve_health(const json& config, const json& audiences, const services::registry& methods) {
  json out = config;
  if (out.empty()) return out;
  json bindings = json::array();
  std::string site_problem = "no binding names a host, and no http binding is on loopback or \"*\"";
  try {
    const services::method* find = methods.find("iis.site.find");
    if (find == nullptr) throw services::service_error("not_found", "the target has no iis.site.find");
    bindings = find->invoke(json::object()).value("bindings", json::array());
  } catch (const std::exception& e) {
    site_problem = e.what();
  }
  const std::optional<std::string> published = public_webmail_url(bindings);
  if (out.contains("webmail")) {
    json& webmail = out["webmail"];
    if (!webmail.contains("url")) {
      const auto url = server_webmail_url(bindings);
      if (!url) {
        throw profile_error(fmt::format(
            "health: /health/webmail/url is not set and cannot be derived from the SmarterMail site's bindings ({}); "
            "set \"health\": {{\"webmail\": {{\"url\": \"https://mail.example.com/\"}}}} in the profile or the "
            "target's target.json",
            site_problem));
      }
      webmail["url"] = *url;
      webmail["derived"] = true;
      // A guessed URL that does not answer now (split DNS, a certificate for another name) is not the
      // apply's doing: its failure afterwards does not roll the apply back. A URL the operator gave is
      // their word that it answers, and counts.
      webmail["before_ok"] = run_webmail_check(webmail, methods).value("ok", false);
    }
    if (!webmail.contains("public_url")) webmail["public_url"] = published ? json(*published) : webmail["url"];
  }
  // Like a derived URL, a sign-in that fails before the apply (no SmarterMail credentials given for a run of
  // Windows steps only) is not the apply's doing.
  if (out.value("smartermail_login", false)) {
    out["smartermail_login_before_ok"] = run_login_check(methods).value("ok", false);
  }
  bool any = false;
  for (const auto& s : checked_surfaces) any = any || !ranges_of(audiences, s.audience).empty();
  if (!any) return out;
  if (!out.value("audiences", true)) {
    out["audiences_skipped"] = "the health settings say \"audiences\": false";
    return out;
  }
  if (methods.find("lab.reach.http") == nullptr) {
    out["audiences_skipped"] =
        "only a lab answers for another address: on this target the probe runs from the server itself, so it cannot "
        "show what each audience reaches (the access matrix says what the settings allow)";
    return out;
  }
  const std::string url =
      out.contains("webmail") ? out["webmail"]["public_url"].get<std::string>() : published.value_or("");
  std::vector<std::string> every_range;
  for (const auto& s : checked_surfaces) {
    for (const std::string& r : ranges_of(audiences, s.audience)) every_range.push_back(r);
  }
  json checks = json::array();
  for (const auto& s : checked_surfaces) {
    const std::string surface = s.surface;
    if (surface != "smtp_relay" && url.empty()) continue;
    for (const std::string& range : ranges_of(audiences, s.audience)) {
      std::string from;
      try {
        from = representative_address(range, every_range);
      } catch (const std::invalid_argument& e) {
        throw profile_error(fmt::format("health: audience {}: {}", s.audience, e.what()));
      }
      json check = {{"name", fmt::format("{} from {} {} (as {})", surface, s.audience, range, from)},
                    {"audience", s.audience},
                    {"range", range},
                    {"from", from},
                    {"surface", surface}};
      if (surface != "smtp_relay") check["url"] = url;
      check["before_ok"] = run_audience_check(check, methods).value("ok", false);
      checks.push_back(std::move(check));
    }
  }
  out["audience_checks"] = std::move(checks);
  return out;
}

}  // namespace smharden::core
