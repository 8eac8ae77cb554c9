// The DACL evaluation lives in the common library (shared with the acl
// plugin); the windows service and its backends use it by these names.
#pragma once

#include <smharden/common/ace_match.hpp>

#include "services/windows/windows_types.hpp"

namespace smharden::services::windows {

using ::smharden::common::access_mask_name;
using ::smharden::common::ace_evaluation;
using ::smharden::common::ace_flag_names;
using ::smharden::common::ace_requirement;
using ::smharden::common::ace_satisfies;
using ::smharden::common::evaluate_aces;
using ::smharden::common::map_generic_file_rights;
using ::smharden::common::parse_access_mask_name;
using ::smharden::common::parse_ace_flag_name;

}  // namespace smharden::services::windows
