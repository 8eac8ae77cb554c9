// Who must keep which access, as the sm-* plugins see it: the host's
// guard.access.audiences (the profile's "access" block and management_cidrs),
// or, on a host without that method, the call's management_cidrs and the
// step's own "relay_apps" param. Relay apps named in the step's params are
// added to the host's either way.
#pragma once

#include <smharden/plugin.hpp>

#include <string>

namespace smharden::sm_common {

/// `host` (the answer of guard.access.audiences, or null) completed and merged with the
/// fallbacks: every key present, "relay_apps" entries {address, name} unique by address.
inline json merge_audiences(const json& host, const json& management_cidrs, const json& params) {
  json out = {{"management", json::array()},
              {"webmail_users", json::array()},
              {"mail_clients", json::array()},
              {"relay_apps", json::array()}};
  const auto add_unique = [](json& list, const json& item) {
    for (const auto& have : list) {
      if (have == item) return;
    }
    list.push_back(item);
  };
  for (const char* key : {"management", "webmail_users", "mail_clients"}) {
    if (host.is_object() && host.contains(key) && host[key].is_array()) {
      for (const auto& item : host[key]) {
        if (item.is_string()) add_unique(out[key], item);
      }
    }
  }
  for (const auto& cidr : management_cidrs) {
    if (cidr.is_string()) add_unique(out["management"], cidr);
  }
  json apps = json::array();
  if (host.is_object() && host.contains("relay_apps") && host["relay_apps"].is_array()) apps = host["relay_apps"];
  if (params.is_object() && params.contains("relay_apps") && params["relay_apps"].is_array()) {
    for (const auto& app : params["relay_apps"]) apps.push_back(app);
  }
  for (const auto& app : apps) {
    if (!app.is_object() || !app.contains("address") || !app["address"].is_string()) continue;
    const std::string address = app["address"].get<std::string>();
    bool seen = false;
    for (const auto& have : out["relay_apps"]) seen = seen || have["address"] == address;
    if (!seen) out["relay_apps"].push_back({{"address", address}, {"name", app.value("name", std::string())}});
  }
  return out;
}

/// The audiences for this call (see merge_audiences). Throws what the host throws, except that a
/// host without guard.access.audiences (an older smharden) falls back to the params.
inline json audiences(const context& ctx) {
  json host = nullptr;
  try {
    host = ctx.call("guard.access.audiences");
  } catch (const service_error& e) {
    if (e.status() != SMH_ERR_NOT_FOUND && e.code() != "unknown_method") throw;
  }
  return merge_audiences(host, ctx.management_cidrs(), ctx.params());
}

}  // namespace smharden::sm_common
