// The smartermail service's IDS block methods: list the current blocks and
// lift the blocks of one address (`smharden smartermail unblock`), through
// the confirmed blocked-ips / unblock-ips routes.
#pragma once

#include "services/smartermail/smartermail_service.hpp"

namespace smharden::services::smartermail {

void register_ids_block_methods(registry& r, smartermail_service& self);

}  // namespace smharden::services::smartermail
