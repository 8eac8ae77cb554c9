// One access-control entry of a folder's DACL and the Windows constants that
// describe it (same values as the Windows SDK; our own names, because
// windows.h defines the SDK names as macros). Plain data, std-only.
#pragma once

#include <cstdint>
#include <string>

namespace smharden::common {

/// ACE access masks (winnt.h).
namespace access_mask {
inline constexpr std::uint32_t read_execute = 0x1200A9;  // FILE_GENERIC_READ|FILE_GENERIC_EXECUTE
inline constexpr std::uint32_t modify = 0x1301BF;        // FILE_GENERIC_READ|WRITE|EXECUTE|DELETE
inline constexpr std::uint32_t full_control = 0x1F01FF;  // FILE_ALL_ACCESS
}  // namespace access_mask

/// ACE_HEADER::AceFlags bits (winnt.h).
namespace ace_flag {
inline constexpr std::uint32_t object_inherit = 0x01;     // OBJECT_INHERIT_ACE (OI)
inline constexpr std::uint32_t container_inherit = 0x02;  // CONTAINER_INHERIT_ACE (CI)
inline constexpr std::uint32_t no_propagate = 0x04;       // NO_PROPAGATE_INHERIT_ACE (NP)
inline constexpr std::uint32_t inherit_only = 0x08;       // INHERIT_ONLY_ACE (IO)
inline constexpr std::uint32_t inherited = 0x10;          // INHERITED_ACE (ID)
}  // namespace ace_flag

enum class ace_type { allow, deny };

/// One ACE of a folder's DACL, in DACL order.
struct ace {
  ace_type type = ace_type::allow;
  std::string trustee;      ///< "DOMAIN\name" when resolvable, else the SID string
  std::string sid;          ///< always set by get_acl; optional in grant_ace (then trustee is resolved)
  std::uint32_t mask = 0;   ///< access_mask::*
  std::uint32_t flags = 0;  ///< ace_flag::*; `inherited` marks ACEs that came from the parent
};

}  // namespace smharden::common
