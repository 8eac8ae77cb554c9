// Who may send through the server without SMTP authentication, before and
// after sm-relay applies, as the host's access guard reads it (surface
// "smtp_relay"): Allow Relay "anyone" lets everyone relay; "nobody" only the
// whitelist entries with SMTP Auth Bypass on SMTP. For "local_users" and
// "local_domains" the answer depends on the sender and the recipients, not
// only the address, so the layer says it cannot tell.
#pragma once

#include <smharden/plugin.hpp>

#include <string>

#include "relay_policy.hpp"

namespace smharden::sm_relay {

/// The guard policy for Allow Relay `allow_relay` and the whitelist `entries`.
json relay_reach_policy(const std::string& allow_relay, const json& entries);

/// The whitelist entries after the plan's upserts (matched by "ip", else appended).
json entries_after(const json& entries, const plan& p);

/// The guard.access.check request for the plan: smtp_relay before and after.
json access_request(const json& relay, const json& whitelist, const plan& p);

}  // namespace smharden::sm_relay
