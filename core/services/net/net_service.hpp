// The `net` service: an HTTP status probe (`net.http.probe`), read-only.
// (The lockout guard is the run's: core/run/access_guard.hpp.)
#pragma once

#include <memory>

#include "services/service.hpp"

namespace smharden::services {

/// The net service for a run.
std::unique_ptr<service> make_net_service(const target& t, service_env& env);

}  // namespace smharden::services
