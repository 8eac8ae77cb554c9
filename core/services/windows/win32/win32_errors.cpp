#include "services/windows/win32/win32_errors.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace smharden::services::windows::win32 {
namespace {

struct entry {
  std::uint32_t error;
  win32_error_info info;
};

// Sorted by error number.
constexpr entry table[] = {
    {2, {"ERROR_FILE_NOT_FOUND", "not_found", "the file or folder does not exist"}},
    {3, {"ERROR_PATH_NOT_FOUND", "not_found", "the path does not exist"}},
    {5,
     {"ERROR_ACCESS_DENIED", "refused", "access denied; run smharden from an elevated (Run as administrator) prompt"}},
    {87, {"ERROR_INVALID_PARAMETER", "invalid_params", "a parameter is not valid"}},
    {122, {"ERROR_INSUFFICIENT_BUFFER", "failed", "the buffer is too small"}},
    {123, {"ERROR_INVALID_NAME", "invalid_params", "the name is not valid"}},
    {1051,
     {"ERROR_DEPENDENT_SERVICES_RUNNING", "conflict",
      "other running services depend on it; stop them first or stop it from services.msc"}},
    {1053,
     {"ERROR_SERVICE_REQUEST_TIMEOUT", "failed",
      "the service did not respond to the start or control request in time; see the Windows event log (System)"}},
    {1055, {"ERROR_SERVICE_DATABASE_LOCKED", "unavailable", "the service database is locked; try again"}},
    {1056, {"ERROR_SERVICE_ALREADY_RUNNING", "conflict", "the service is already running"}},
    {1057,
     {"ERROR_INVALID_SERVICE_ACCOUNT", "invalid_params",
      "the account name is invalid or does not exist, or the password is invalid for that account; use .\\user "
      "for a local user"}},
    {1058,
     {"ERROR_SERVICE_DISABLED", "failed", "the service is disabled; set its start type to Manual or Automatic first"}},
    {1060,
     {"ERROR_SERVICE_DOES_NOT_EXIST", "not_found", "no service with this name is installed (use the SCM key name)"}},
    {1061, {"ERROR_SERVICE_CANNOT_ACCEPT_CTRL", "conflict", "the service cannot accept control requests right now"}},
    {1062, {"ERROR_SERVICE_NOT_ACTIVE", "conflict", "the service has not been started"}},
    {1069,
     {"ERROR_SERVICE_LOGON_FAILED", "failed",
      "the service could not log on: wrong password for its account, or the account lacks \"Log on as a service\" "
      "(SeServiceLogonRight)"}},
    {1072,
     {"ERROR_SERVICE_MARKED_FOR_DELETE", "conflict",
      "the service is marked for deletion; close services.msc and other handles to it"}},
    {1073, {"ERROR_SERVICE_EXISTS", "conflict", "a service with this name already exists"}},
    {1313,
     {"ERROR_NO_SUCH_PRIVILEGE", "invalid_params", "no such user right or privilege name (e.g. SeServiceLogonRight)"}},
    {1326, {"ERROR_LOGON_FAILURE", "failed", "unknown user name or bad password"}},
    {1332, {"ERROR_NONE_MAPPED", "not_found", "no account with this name or SID exists"}},
    {1337, {"ERROR_INVALID_SID", "invalid_params", "the SID is not valid"}},
    {1376, {"ERROR_NO_SUCH_ALIAS", "not_found", "the local group does not exist"}},
    {1377, {"ERROR_MEMBER_NOT_IN_ALIAS", "not_found", "the account is not a member of the local group"}},
    {1378, {"ERROR_MEMBER_IN_ALIAS", "conflict", "the account is already a member of the local group"}},
    {1385,
     {"ERROR_LOGON_TYPE_NOT_GRANTED", "failed",
      "the account lacks the user right for this logon type (for a service: SeServiceLogonRight)"}},
    {1387, {"ERROR_NO_SUCH_MEMBER", "not_found", "the account to add to the group does not exist"}},
    {1388, {"ERROR_INVALID_MEMBER", "invalid_params", "this kind of account cannot be a member of the local group"}},
    {2140, {"NERR_InternalError", "failed", "internal error in the network management API"}},
    {2220, {"NERR_GroupNotFound", "not_found", "the local group does not exist"}},
    {2221, {"NERR_UserNotFound", "not_found", "the user does not exist"}},
    {2224, {"NERR_UserExists", "conflict", "the user already exists"}},
    {2245,
     {"NERR_PasswordTooShort", "invalid_params",
      "the password does not meet the password policy (length, complexity or history)"}},
    {2351, {"NERR_InvalidComputer", "invalid_params", "the computer name is not valid"}},
};
static_assert(std::is_sorted(std::begin(table), std::end(table),
                             [](const entry& a, const entry& b) { return a.error < b.error; }),
              "the table must stay sorted for lower_bound");

}  // namespace

win32_error_info describe_win32_error(std::uint32_t error) {
  const auto it = std::lower_bound(std::begin(table), std::end(table), error,
                                   [](const entry& e, std::uint32_t value) { return e.error < value; });
  if (it != std::end(table) && it->error == error) return it->info;
  return {"", "failed", ""};
}

std::string win32_error_message(std::string_view api, std::string_view subject, std::uint32_t error,
                                std::string_view system_text) {
  const win32_error_info info = describe_win32_error(error);
  std::string text;
  if (!info.symbol.empty()) {
    text = fmt::format("{} ({}): {}", info.symbol, error, info.meaning);
  } else if (!system_text.empty()) {
    text = fmt::format("error {}: {}", error, system_text);
  } else {
    text = fmt::format("error {}", error);
  }
  if (subject.empty()) return fmt::format("{} failed: {}", api, text);
  return fmt::format("{}({}) failed: {}", api, subject, text);
}

}  // namespace smharden::services::windows::win32
