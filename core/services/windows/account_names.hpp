// The account-name logic lives in the common library (shared with the
// plugins); the windows service and its backends use it by these names.
#pragma once

#include <smharden/common/account_names.hpp>

namespace smharden::services::windows {

using ::smharden::common::account_name;
using ::smharden::common::builtin_service_account;
using ::smharden::common::iequals;
using ::smharden::common::is_local_domain;
using ::smharden::common::is_passwordless_service_account;
using ::smharden::common::is_sid_string;
using ::smharden::common::local_service_logon_name;
using ::smharden::common::parse_account_name;
using ::smharden::common::same_account;

}  // namespace smharden::services::windows
