// The `lab` service, only on a lab target: the lab's reachability model
// (lab_reachability.hpp) as read-only methods, so that the health probe can
// ask what a client at an audience's address gets after an apply.
#pragma once

#include <memory>

#include "services/service.hpp"

namespace smharden::services {

/// The lab service for a lab target; nullptr for any other target.
std::unique_ptr<service> make_lab_service(const target& t, service_env& env);

}  // namespace smharden::services
