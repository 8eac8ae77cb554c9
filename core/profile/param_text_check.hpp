// Params name system objects (users, paths, hosts, sites) and end up in
// terminals, reports and Win32 calls: no string in any plugin's params, and no
// key, may hold a control character. The host checks this for every plugin.
#pragma once

#include <string>
#include <vector>

#include "profile/profile.hpp"

namespace smharden::core {

/// One problem text per string (or key) of `step`'s params that holds a C0
/// control character (NUL included), DEL or a C1 control character.
std::vector<std::string> control_character_problems(const step_config& step);

}  // namespace smharden::core
