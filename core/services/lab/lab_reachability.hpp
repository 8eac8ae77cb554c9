// The lab's answer to "what does a client at address FROM get?". A lab has no
// network, so it answers from the state a run sees, through the other
// services' read methods: the SmarterMail site's bindings (a 127.0.0.1
// binding answers only the server itself), the Windows Firewall rules (block
// wins, loopback is not filtered), IIS ipSecurity (its deny action decides
// the answer) and the SmarterMail settings (an administrator's login-by-IP,
// Allow Relay and the whitelist's SMTP auth bypass). What it cannot read or
// decide is an error in the answer, never a pass.
#pragma once

#include <nlohmann/json.hpp>

#include "services/service_registry.hpp"

namespace smharden::services::lab {

/// lab.reach.http: {url, from, expect_status? ([200, 302]), admin_login? (bool), admin? (username)} ->
/// {ok, url, from, answered, status (null when nothing answered), site?, path: [why, ...], error?}.
json reach_http(const registry& methods, const json& params);

/// lab.reach.smtp_relay: {from} -> {ok, from, path: [why, ...], error?}: whether a sender at `from` may
/// relay through the server without SMTP authentication.
json reach_smtp_relay(const registry& methods, const json& params);

}  // namespace smharden::services::lab
