// What the health probe probes, settled before an apply changes anything:
// the webmail URL (the profile's, else the one the SmarterMail site's
// bindings publish) and one check per audience range of the profile, each
// from a representative address of that range (webmail_users and
// mail_clients: webmail; management: the administrator's sign-in;
// relay_apps: SMTP relay without authentication). Only a target that can
// answer for another address (the lab: lab.reach.*) runs the audience
// checks; a real server can only probe from itself, and the report says so.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "services/service_registry.hpp"

namespace smharden::core {

/// The URL a webmail user opens, from a site's bindings (iis.bindings' `bindings`): https with a host
/// name first, then http with a host name; nullopt when no binding names a host.
std::optional<std::string> public_webmail_url(const nlohmann::json& bindings);

/// The URL the server itself reaches webmail at: public_webmail_url when it is https, else an http
/// binding on loopback or "*" as http://127.0.0.1:PORT/; nullopt when there is none.
std::optional<std::string> server_webmail_url(const nlohmann::json& bindings);

/// An address of `range` that stands for its members: a documentation address (192.0.2.200,
/// 2001:db8::200, ...) when the range holds one outside `narrower` (the other audiences' ranges that
/// lie inside it), else the range's first host address. Throws std::invalid_argument for a bad range.
std::string representative_address(const std::string& range, const std::vector<std::string>& narrower);

/// The settings with what was left to the target filled in: `webmail.url` (marked `derived`, with
/// `before_ok`: whether it answered before the apply), `smartermail_login_before_ok`, and
/// `webmail.public_url` from the SmarterMail site, and `audience_checks` [{name, audience, range, from,
/// surface, before_ok}] with the answer before the apply, or `audiences_skipped` (why not). Throws
/// profile_error when webmail is configured without a URL and the site publishes none.
nlohmann::json resolve_health(const nlohmann::json& config, const nlohmann::json& audiences,
                              const services::registry& methods);

/// The server's own webmail check: through the lab's model when the URL was derived on a lab (nothing
/// listens there), else a real GET from this machine (net.http.probe). The row of the health report.
nlohmann::json run_webmail_check(const nlohmann::json& settings, const services::registry& methods);

/// The SmarterMail sign-in (smartermail.version.get signs in on a real server): the row of the health report.
nlohmann::json run_login_check(const services::registry& methods);

/// One audience check through lab.reach.*: the row of the health report.
nlohmann::json run_audience_check(const nlohmann::json& check, const services::registry& methods);

}  // namespace smharden::core
