// Windows account names as operators and APIs write them, compared the way
// Windows resolves them: ".\user", "COMPUTER\user" and "user" name the same
// local account; names and domains are case-insensitive; the SCM's
// "LocalSystem" is "NT AUTHORITY\SYSTEM". Pure logic (no OS calls), shared by
// the lab and Win32 backends and the plugins that compare accounts.
#pragma once

#include <string>
#include <string_view>

namespace smharden::common {

struct account_name {
  std::string domain;  ///< "" when unqualified, "." for the local machine
  std::string name;
};

/// Splits "DOMAIN\name" (last backslash) or "name@domain" (UPN); "name" has an empty domain.
account_name parse_account_name(std::string_view text);

/// ASCII case-insensitive equality (Windows account names are compared
/// case-insensitively; non-ASCII letters are compared exactly).
bool iequals(std::string_view a, std::string_view b);

/// True for a string SID such as "S-1-5-32-544".
bool is_sid_string(std::string_view text);

/// True when `domain` names the local machine: ".", or `computer_name`.
bool is_local_domain(std::string_view domain, std::string_view computer_name);

/// The canonical "NT AUTHORITY\X" form of the built-in service accounts
/// ("LocalSystem", ".\LocalSystem", "NT AUTHORITY\LocalService", ...), or "" when `text` is none.
std::string builtin_service_account(std::string_view text);

/// True for accounts that log on without a password: LocalSystem,
/// LocalService, NetworkService and virtual accounts "NT SERVICE\...".
bool is_passwordless_service_account(std::string_view text);

/// Do `a` and `b` name the same account? Two SID strings compare as SIDs;
/// an unqualified name matches the same name in the local domain, BUILTIN or
/// NT AUTHORITY; a name never matches a SID (resolve it first).
bool same_account(std::string_view a, std::string_view b, std::string_view computer_name);

/// ".\user" for "user" or ".\user" (the form ChangeServiceConfigW expects for
/// a local account); a domain-qualified name is returned unchanged.
std::string local_service_logon_name(std::string_view user);

}  // namespace smharden::common
