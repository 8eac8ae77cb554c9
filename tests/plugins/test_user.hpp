// The service user the Windows plugin policy tests (accounts, acl, service) plan for.
#pragma once

#include <string>

namespace smharden::test {

/// A local account's SID as the lab hands it out.
inline const std::string user_sid = "S-1-5-21-1-2-3-1001";

}  // namespace smharden::test
