// The post-apply health probe: "is the server still usable?" after the
// steps and restarts. Configured by the profile's "health" object and/or the
// target's target.json "health" (the target's keys win):
//
//   {"webmail": {"url": "http://127.0.0.1:9998/", "expect_status": [200, 302], "timeout_ms": 5000,
//                "verify_tls": true, "ca_file": "..."},
//    "smartermail_login": true,
//    "attempts": 3, "interval_ms": 2000}
//
// Checks run through the target's services (net.http.probe, smartermail.version.get).
#pragma once

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>

#include "services/service_registry.hpp"
#include "services/target.hpp"

namespace smharden::core {

/// The effective health settings, validated. `profile_file` names the file in
/// errors. Throws profile_error (naming file and JSON pointer) for a
/// bad setting. Returns {} when nothing is configured.
nlohmann::json health_config(const nlohmann::json& profile_health, const std::string& profile_file,
                             const services::target& t);

/// Runs the configured checks with retries: {"ok", "attempts", "checks": [{"name", "ok", ...}]}.
/// Stops retrying when `cancel` is set.
nlohmann::json run_health_probe(const nlohmann::json& config, const services::registry& methods,
                                const std::atomic<bool>& cancel);

}  // namespace smharden::core
