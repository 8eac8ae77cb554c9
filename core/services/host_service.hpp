// The `host` service: facts about smharden and the target that any plugin
// may read, on every target.
#pragma once

#include <memory>

#include "services/service.hpp"

namespace smharden::services {

std::unique_ptr<service> make_host_service(const target& t);

}  // namespace smharden::services
