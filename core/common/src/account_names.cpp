#include <smharden/common/account_names.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace smharden::common {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// The names LookupAccountName finds without a domain besides local accounts.
bool is_wellknown_domain(std::string_view domain) {
  return iequals(domain, "BUILTIN") || iequals(domain, "NT AUTHORITY");
}

struct alias {
  std::string_view name;       // as written without a domain (or with ".")
  std::string_view canonical;  // NT AUTHORITY\X
};

constexpr std::array<alias, 9> builtin_aliases{{
    {"LocalSystem", "NT AUTHORITY\\SYSTEM"},
    {"SYSTEM", "NT AUTHORITY\\SYSTEM"},
    {"Local System", "NT AUTHORITY\\SYSTEM"},
    {"LocalService", "NT AUTHORITY\\LOCAL SERVICE"},
    {"LOCAL SERVICE", "NT AUTHORITY\\LOCAL SERVICE"},
    {"Local Service", "NT AUTHORITY\\LOCAL SERVICE"},
    {"NetworkService", "NT AUTHORITY\\NETWORK SERVICE"},
    {"NETWORK SERVICE", "NT AUTHORITY\\NETWORK SERVICE"},
    {"Network Service", "NT AUTHORITY\\NETWORK SERVICE"},
}};

constexpr std::array<std::string_view, 3> builtin_sids{"S-1-5-18", "S-1-5-19", "S-1-5-20"};
constexpr std::array<std::string_view, 3> builtin_sid_names{"NT AUTHORITY\\SYSTEM", "NT AUTHORITY\\LOCAL SERVICE",
                                                            "NT AUTHORITY\\NETWORK SERVICE"};

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

account_name parse_account_name(std::string_view text) {
  const auto slash = text.rfind('\\');
  if (slash != std::string_view::npos) {
    return {std::string(text.substr(0, slash)), std::string(text.substr(slash + 1))};
  }
  const auto at = text.rfind('@');
  if (at != std::string_view::npos && at > 0) {
    return {std::string(text.substr(at + 1)), std::string(text.substr(0, at))};
  }
  return {"", std::string(text)};
}

bool is_sid_string(std::string_view text) {
  if (text.size() < 5 || lower(text[0]) != 's' || text[1] != '-') return false;
  bool digit_seen = false;
  for (std::size_t i = 2; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '-') {
      if (!digit_seen) return false;
      digit_seen = false;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      digit_seen = true;
    } else {
      return false;
    }
  }
  return digit_seen;
}

bool is_local_domain(std::string_view domain, std::string_view computer_name) {
  return domain == "." || (!computer_name.empty() && iequals(domain, computer_name));
}

std::string builtin_service_account(std::string_view text) {
  for (std::size_t i = 0; i < builtin_sids.size(); ++i) {
    if (iequals(text, builtin_sids[i])) return std::string(builtin_sid_names[i]);
  }
  const account_name parsed = parse_account_name(text);
  if (!parsed.domain.empty() && parsed.domain != "." && !iequals(parsed.domain, "NT AUTHORITY")) return "";
  for (const auto& a : builtin_aliases) {
    if (iequals(parsed.name, a.name)) return std::string(a.canonical);
  }
  return "";
}

bool is_passwordless_service_account(std::string_view text) {
  if (!builtin_service_account(text).empty()) return true;
  const account_name parsed = parse_account_name(text);
  return iequals(parsed.domain, "NT SERVICE") && !parsed.name.empty();
}

bool same_account(std::string_view a, std::string_view b, std::string_view computer_name) {
  if (a.empty() || b.empty()) return false;
  const bool a_sid = is_sid_string(a);
  const bool b_sid = is_sid_string(b);
  const std::string a_builtin = builtin_service_account(a);
  const std::string b_builtin = builtin_service_account(b);
  if (!a_builtin.empty() || !b_builtin.empty()) return a_builtin == b_builtin;
  if (a_sid || b_sid) return a_sid && b_sid && iequals(a, b);

  const account_name pa = parse_account_name(a);
  const account_name pb = parse_account_name(b);
  if (!iequals(pa.name, pb.name)) return false;
  const auto kind = [&](const std::string& domain) {
    if (domain.empty()) return 0;                          // unqualified
    if (is_local_domain(domain, computer_name)) return 1;  // this machine
    return 2;                                              // a named domain
  };
  const int ka = kind(pa.domain);
  const int kb = kind(pb.domain);
  if (ka == 0 || kb == 0) {
    const std::string& other = ka == 0 ? pb.domain : pa.domain;
    return (ka == 0 && kb == 0) || other.empty() || is_local_domain(other, computer_name) || is_wellknown_domain(other);
  }
  if (ka == 1 && kb == 1) return true;
  return ka == 2 && kb == 2 && iequals(pa.domain, pb.domain);
}

std::string local_service_logon_name(std::string_view user) {
  const account_name parsed = parse_account_name(user);
  if (parsed.domain.empty() || parsed.domain == ".") return ".\\" + parsed.name;
  return std::string(user);
}

}  // namespace smharden::common
