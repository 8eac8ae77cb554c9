// Win32, NERR (lmerr.h) and LSA error codes the Win32 backend meets, with the
// service_error code each maps to and a sentence an operator can act on.
// Pure data (no OS calls), so the mapping is unit-tested on Linux too.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace smharden::services::windows::win32 {

/// Codes with a name of their own (the values are those of winerror.h / lmerr.h).
namespace win32_code {
inline constexpr std::uint32_t success = 0;
inline constexpr std::uint32_t file_not_found = 2;
inline constexpr std::uint32_t path_not_found = 3;
inline constexpr std::uint32_t access_denied = 5;
inline constexpr std::uint32_t invalid_parameter = 87;
inline constexpr std::uint32_t insufficient_buffer = 122;
inline constexpr std::uint32_t invalid_name = 123;
inline constexpr std::uint32_t more_data = 234;
inline constexpr std::uint32_t dependent_services_running = 1051;
inline constexpr std::uint32_t service_request_timeout = 1053;
inline constexpr std::uint32_t service_already_running = 1056;
inline constexpr std::uint32_t invalid_service_account = 1057;
inline constexpr std::uint32_t service_disabled = 1058;
inline constexpr std::uint32_t service_does_not_exist = 1060;
inline constexpr std::uint32_t service_cannot_accept_ctrl = 1061;
inline constexpr std::uint32_t service_not_active = 1062;
inline constexpr std::uint32_t service_logon_failed = 1069;
inline constexpr std::uint32_t service_marked_for_delete = 1072;
inline constexpr std::uint32_t service_exists = 1073;
inline constexpr std::uint32_t none_mapped = 1332;
inline constexpr std::uint32_t member_not_in_alias = 1377;
inline constexpr std::uint32_t member_in_alias = 1378;
inline constexpr std::uint32_t group_not_found = 2220;     // NERR_GroupNotFound
inline constexpr std::uint32_t user_not_found = 2221;      // NERR_UserNotFound
inline constexpr std::uint32_t user_exists = 2224;         // NERR_UserExists
inline constexpr std::uint32_t password_too_short = 2245;  // NERR_PasswordTooShort
}  // namespace win32_code

/// NTSTATUS values returned by the LSA functions that the backend handles itself.
namespace nt_status {
inline constexpr std::uint32_t success = 0;
inline constexpr std::uint32_t object_name_not_found = 0xC0000034;  // account has no LSA object: no rights
inline constexpr std::uint32_t no_more_entries = 0x8000001A;
}  // namespace nt_status

struct win32_error_info {
  std::string_view symbol;   ///< "ERROR_INVALID_SERVICE_ACCOUNT", "" when unknown
  std::string_view code;     ///< service_error code: not_found, conflict, refused, invalid_params, unavailable, failed
  std::string_view meaning;  ///< what it means and, where there is one, the fix; "" when unknown
};

/// What `error` (a Win32 or NERR code) means; unknown codes map to code "failed".
win32_error_info describe_win32_error(std::uint32_t error);

/// "<api>(<subject>) failed: ERROR_X (<n>): <meaning>", using `system_text`
/// (FormatMessage's text, may be empty) for codes the table does not know.
/// `subject` names the object (user, service, path), never a secret.
std::string win32_error_message(std::string_view api, std::string_view subject, std::uint32_t error,
                                std::string_view system_text = {});

}  // namespace smharden::services::windows::win32
