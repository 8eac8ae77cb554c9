// safety-churn: a test plugin that makes many small, independent changes in
// every service family (SmarterMail settings, Windows state, IIS config), so
// the safety tests can kill and roll back apply at many points.
#include <smharden/plugin.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "smharden_manifest.hpp"

namespace {

using smharden::json;

/// One desired setting: how to read whether it holds, and the call that makes it hold.
struct item {
  std::string id;
  json current;
  json desired;
  std::function<void(smharden::context&)> fix;
};

std::vector<std::string> strings(const json& a) {
  std::vector<std::string> out;
  for (const auto& s : a) out.push_back(s.get<std::string>());
  return out;
}

/// "198.51.100.0/255.255.255.0" -> ip_address + subnet_mask entry.
json ip_entry(const std::string& text) {
  const auto slash = text.find('/');
  json e = {{"ip_address", text.substr(0, slash)}, {"allowed", true}};
  e["subnet_mask"] = slash == std::string::npos ? "255.255.255.255" : text.substr(slash + 1);
  return e;
}

std::vector<item> plan(smharden::context& ctx) {
  const json& p = ctx.params();
  std::vector<item> items;

  const json relay = ctx.call("smartermail.relay.get");
  const std::string want_relay = p["relay"].get<std::string>();
  if (relay.value("allow_relay", "") != want_relay) {
    items.push_back({"relay", relay["allow_relay"], want_relay, [want_relay](smharden::context& c) {
                       c.call("smartermail.relay.set", {{"allow_relay", want_relay}});
                     }});
  }

  const json ext = ctx.call("smartermail.extensions.get");
  for (const char* category : {"inbound", "outbound", "upload", "file_system"}) {
    std::vector<std::string> have = ext.contains(category) ? strings(ext[category]) : std::vector<std::string>{};
    std::vector<std::string> want = have;
    for (const auto& e : strings(p["extensions"])) {
      if (std::find(want.begin(), want.end(), e) == want.end()) want.push_back(e);
    }
    if (want != have) {
      const std::string key = category;
      items.push_back(
          {std::string("extensions-") + category, json(have), json(want), [key, want](smharden::context& c) {
             c.call("smartermail.extensions.set", {{key, want}});
           }});
    }
  }

  const std::string user = p["user"].get<std::string>();
  const bool user_exists = ctx.call("windows.user.get", {{"name", user}}).value("exists", false);
  if (!user_exists) {
    items.push_back({"user", false, true, [user](smharden::context& c) {
                       c.call("windows.user.create",
                              {{"name", user}, {"password_secret", "churn_password"}, {"description", "safety test"}});
                     }});
  }
  const std::string right = p["right"].get<std::string>();
  const json rights = ctx.call("windows.rights.get", {{"account", user}});
  const auto held = rights.value("rights", json::array());
  if (std::find(held.begin(), held.end(), right) == held.end()) {
    items.push_back({"right", held, right, [user, right](smharden::context& c) {
                       c.call("windows.rights.grant", {{"account", user}, {"right", right}});
                     }});
  }

  const std::string site = p["site"].get<std::string>();
  const json ipsec = ctx.call("iis.ip_security.get", {{"site", site}});
  json entries = json::array();
  for (const auto& ip : strings(p["allow_ips"])) entries.push_back(ip_entry(ip));
  json have_entries = json::array();
  for (const auto& e : ipsec.value("entries", json::array())) {
    have_entries.push_back({{"ip_address", e.value("ip_address", "")},
                            {"allowed", e.value("allowed", false)},
                            {"subnet_mask", e.value("subnet_mask", "255.255.255.255")}});
  }
  if (have_entries != entries || ipsec.value("allow_unlisted", true)) {
    const bool guard = p["guard"].get<bool>();
    const json allow = p["allow_ips"];
    items.push_back({"ip-security", ipsec, entries, [site, entries, guard, allow](smharden::context& c) {
                       if (guard) {
                         const json g =
                             c.call("guard.management_access.check",
                                    {{"allow", allow}, {"default", "deny"}, {"what", "ipSecurity of " + site}});
                         if (!g.value("ok", false))
                           throw std::runtime_error(g.value("message", "lockout guard refused"));
                       }
                       c.call("iis.ip_security.set", {{"site", site}, {"allow_unlisted", false}, {"entries", entries}});
                     }});
  }

  const json bindings = ctx.call("iis.bindings.get", {{"site", site}});
  json want_bindings = json::array();
  for (const auto& b : strings(p["bindings"])) {
    want_bindings.push_back({{"protocol", b.rfind("*:443:", 0) == 0 ? "https" : "http"}, {"binding_information", b}});
  }
  std::vector<std::string> have_info;
  for (const auto& b : bindings.value("bindings", json::array()))
    have_info.push_back(b.value("binding_information", ""));
  // IIS does not care about the order of a site's bindings, and a set appends the new ones.
  std::vector<std::string> want_info = strings(p["bindings"]);
  std::sort(have_info.begin(), have_info.end());
  std::sort(want_info.begin(), want_info.end());
  if (have_info != want_info) {
    items.push_back({"bindings", have_info, p["bindings"], [site, want_bindings](smharden::context& c) {
                       c.call("iis.bindings.set", {{"site", site}, {"bindings", want_bindings}});
                     }});
  }
  return items;
}

class churn_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    for (const auto& i : plan(ctx)) {
      ctx.report({i.id, "safety-churn: " + i.id + " differs", "", i.current, i.desired, "apply sets it", true});
    }
  }

  void apply(smharden::context& ctx) override {
    const auto sleep = std::chrono::milliseconds(ctx.params()["sleep_ms"].get<int>());
    const auto items = plan(ctx);
    for (const auto& i : items) {
      i.fix(ctx);
      ctx.record({i.id, "set " + i.id, i.current, i.desired});
      if (sleep.count() > 0) std::this_thread::sleep_for(sleep);
    }
    if (!items.empty() && ctx.params()["restart"].get<bool>()) {
      ctx.request_restart("service", "SmarterMail");
      ctx.request_restart("app_pool", "SmarterMail");
    }
    if (ctx.params()["fail_after_changes"].get<bool>()) {
      throw std::runtime_error("safety-churn: failing after its changes, as the profile asked");
    }
  }
};

}  // namespace

SMHARDEN_PLUGIN(churn_plugin, smharden_manifest_json)
