#include <catch2/catch.hpp>

#include <smharden/common/account_names.hpp>

using namespace smharden::common;

TEST_CASE("local user written as .\\user, COMPUTER\\user and user are the same account", "[windows][accounts]") {
  CHECK(same_account(".\\smartermail-svc", "smartermail-svc", "SMLAB"));
  CHECK(same_account("SMLAB\\smartermail-svc", ".\\SmarterMail-SVC", "smlab"));
  CHECK(same_account("smartermail-svc", "SMLAB\\SMARTERMAIL-SVC", "SMLAB"));
  CHECK(same_account("smartermail-svc", "SmarterMail-Svc", ""));
}

TEST_CASE("accounts with different names or foreign domains differ", "[windows][accounts]") {
  CHECK_FALSE(same_account("smartermail-svc", "smartermail", "SMLAB"));
  CHECK_FALSE(same_account("OTHERPC\\smartermail-svc", "smartermail-svc", "SMLAB"));
  CHECK_FALSE(same_account("OTHERPC\\svc", ".\\svc", "SMLAB"));
  CHECK(same_account("CORP\\svc", "corp\\SVC", "SMLAB"));
  CHECK_FALSE(same_account("", "", "SMLAB"));
}

TEST_CASE("an unqualified name matches BUILTIN and NT AUTHORITY names", "[windows][accounts]") {
  CHECK(same_account("Administrators", "BUILTIN\\Administrators", "SMLAB"));
  CHECK(same_account("builtin\\administrators", "Administrators", "SMLAB"));
  CHECK_FALSE(same_account("BUILTIN\\Administrators", "CORP\\Administrators", "SMLAB"));
}

TEST_CASE("LocalSystem and its other spellings are one account", "[windows][accounts]") {
  CHECK(same_account("LocalSystem", "NT AUTHORITY\\SYSTEM", "SMLAB"));
  CHECK(same_account("localsystem", "S-1-5-18", "SMLAB"));
  CHECK(same_account("NT AUTHORITY\\LocalService", "NT AUTHORITY\\LOCAL SERVICE", "SMLAB"));
  CHECK_FALSE(same_account("LocalSystem", "NT AUTHORITY\\NETWORK SERVICE", "SMLAB"));
  CHECK_FALSE(same_account("LocalSystem", ".\\smartermail-svc", "SMLAB"));
  CHECK(builtin_service_account("CORP\\LocalSystem").empty());
}

TEST_CASE("SIDs compare as SIDs and never equal a name", "[windows][accounts]") {
  CHECK(same_account("S-1-5-21-1-2-3-1001", "s-1-5-21-1-2-3-1001", "SMLAB"));
  CHECK_FALSE(same_account("S-1-5-21-1-2-3-1001", "S-1-5-21-1-2-3-1002", "SMLAB"));
  CHECK_FALSE(same_account("S-1-5-21-1-2-3-1001", "smartermail-svc", "SMLAB"));
  CHECK(is_sid_string("S-1-5-32-544"));
  CHECK_FALSE(is_sid_string("S-1-5-"));
  CHECK_FALSE(is_sid_string("S-1--5"));
  CHECK_FALSE(is_sid_string("Smartermail"));
}

TEST_CASE("account names parse into domain and name", "[windows][accounts]") {
  CHECK(parse_account_name("CORP\\svc").domain == "CORP");
  CHECK(parse_account_name("CORP\\svc").name == "svc");
  CHECK(parse_account_name("svc@corp.example").domain == "corp.example");
  CHECK(parse_account_name("svc").domain.empty());
  CHECK(parse_account_name(".\\svc").domain == ".");
}

TEST_CASE("passwordless service accounts are the built-in and virtual ones", "[windows][accounts]") {
  CHECK(is_passwordless_service_account("LocalSystem"));
  CHECK(is_passwordless_service_account("NT AUTHORITY\\NetworkService"));
  CHECK(is_passwordless_service_account("NT SERVICE\\SmarterMail"));
  CHECK_FALSE(is_passwordless_service_account(".\\smartermail-svc"));
  CHECK_FALSE(is_passwordless_service_account("NT SERVICE\\"));
}

TEST_CASE("the service logon form of a local user is .\\user", "[windows][accounts]") {
  CHECK(local_service_logon_name("smartermail-svc") == ".\\smartermail-svc");
  CHECK(local_service_logon_name(".\\smartermail-svc") == ".\\smartermail-svc");
  CHECK(local_service_logon_name("CORP\\svc") == "CORP\\svc");
}
