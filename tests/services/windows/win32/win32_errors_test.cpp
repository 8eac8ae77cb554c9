#include "services/windows/win32/win32_errors.hpp"

#include <catch2/catch.hpp>
#include <string>

using namespace smharden::services::windows::win32;

TEST_CASE("the errors the guide's steps meet map to stable service_error codes") {
  struct expectation {
    std::uint32_t error;
    const char* symbol;
    const char* code;
  };
  const expectation cases[] = {
      {5, "ERROR_ACCESS_DENIED", "refused"},
      {1051, "ERROR_DEPENDENT_SERVICES_RUNNING", "conflict"},
      {1056, "ERROR_SERVICE_ALREADY_RUNNING", "conflict"},
      {1057, "ERROR_INVALID_SERVICE_ACCOUNT", "invalid_params"},
      {1060, "ERROR_SERVICE_DOES_NOT_EXIST", "not_found"},
      {1062, "ERROR_SERVICE_NOT_ACTIVE", "conflict"},
      {1069, "ERROR_SERVICE_LOGON_FAILED", "failed"},
      {1332, "ERROR_NONE_MAPPED", "not_found"},
      {1377, "ERROR_MEMBER_NOT_IN_ALIAS", "not_found"},
      {1378, "ERROR_MEMBER_IN_ALIAS", "conflict"},
      {2220, "NERR_GroupNotFound", "not_found"},
      {2221, "NERR_UserNotFound", "not_found"},
      {2224, "NERR_UserExists", "conflict"},
      {2245, "NERR_PasswordTooShort", "invalid_params"},
  };
  for (const auto& c : cases) {
    INFO("error " << c.error);
    const win32_error_info info = describe_win32_error(c.error);
    CHECK(info.symbol == c.symbol);
    CHECK(info.code == c.code);
    CHECK_FALSE(info.meaning.empty());
  }
}

TEST_CASE("the named constants agree with the table") {
  CHECK(describe_win32_error(win32_code::invalid_service_account).symbol == "ERROR_INVALID_SERVICE_ACCOUNT");
  CHECK(describe_win32_error(win32_code::user_exists).symbol == "NERR_UserExists");
  CHECK(describe_win32_error(win32_code::service_logon_failed).symbol == "ERROR_SERVICE_LOGON_FAILED");
  CHECK(describe_win32_error(win32_code::none_mapped).symbol == "ERROR_NONE_MAPPED");
}

TEST_CASE("an unknown code is a plain failure") {
  const win32_error_info info = describe_win32_error(31337);
  CHECK(info.symbol.empty());
  CHECK(info.code == "failed");
}

TEST_CASE("messages name the API, the object, the symbol, the number and the fix") {
  CHECK(win32_error_message("ChangeServiceConfigW", "SmarterMail", 1057) ==
        "ChangeServiceConfigW(SmarterMail) failed: ERROR_INVALID_SERVICE_ACCOUNT (1057): the account name is "
        "invalid or does not exist, or the password is invalid for that account; use .\\user for a local user");
  CHECK(win32_error_message("NetUserAdd", "smartermail-svc", 2224) ==
        "NetUserAdd(smartermail-svc) failed: NERR_UserExists (2224): the user already exists");
  const std::string denied = win32_error_message("LsaOpenPolicy", "", 5);
  CHECK(denied.rfind("LsaOpenPolicy failed: ERROR_ACCESS_DENIED (5): ", 0) == 0);
  CHECK(denied.find("elevated") != std::string::npos);
}

TEST_CASE("unknown codes use the system's text when there is one") {
  CHECK(win32_error_message("X", "y", 31337, "Something odd") == "X(y) failed: error 31337: Something odd");
  CHECK(win32_error_message("X", "y", 31337) == "X(y) failed: error 31337");
}
