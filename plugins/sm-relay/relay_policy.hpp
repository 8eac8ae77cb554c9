// sm-relay policy (pure): Allow Relay is the profile's value (Nobody by
// default); every relay app (an application that sends through the server)
// has a whitelist entry with SMTP Auth Bypass, so closing the relay does not
// stop its mail; and SMTP Auth Bypass is set only on entries inside the
// profile's allowed_bypass_ips or the relay apps. Other bypass entries are
// drift; clearing their bypass flag is opt-in (remove_unlisted_bypass).
#pragma once

#include <smharden/plugin.hpp>

#include <optional>
#include <vector>

namespace smharden::sm_relay {

struct plan {
  std::vector<finding> findings;
  std::optional<std::string> allow_relay;  ///< set when Allow Relay must change
  json whitelist_upserts = json::array();  ///< upsert entries for smartermail.whitelist.set
  std::vector<change> changes;
};

/// True when the whitelist entry's address (IP, CIDR or range) lies inside one of `allowed`.
bool entry_allowed(const std::string& entry_ip, const json& allowed);

/// `relay` and `whitelist` are the answers of smartermail.relay.get and smartermail.whitelist.get;
/// `relay_apps` is [{address, name}] (sm_common::audiences).
plan make_plan(const json& relay, const json& whitelist, const json& params, const json& relay_apps = json::array());

}  // namespace smharden::sm_relay
