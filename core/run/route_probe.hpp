// `smharden smartermail probe`: the route map checked against the target's
// SmarterMail, over a session that only reads (every file write refused, no
// plugin loaded).
#pragma once

#include <nlohmann/json.hpp>

#include "run/run_context.hpp"
#include "services/target.hpp"

namespace smharden::core {

/// The probe's report (see services::probe_routes). Throws core::error when the target's
/// SmarterMail backend cannot be built.
nlohmann::json run_route_probe(const run_context& ctx, const services::target& t);

}  // namespace smharden::core
