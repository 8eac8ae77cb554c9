#include "runtime/secret_masking.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "base/ascii_lower.hpp"

namespace smharden::journal {
namespace {

nlohmann::json masked(const nlohmann::json& v, const core::redactor& redact) {
  if (v.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string key = redact.apply(it.key());
      out[key] =
          is_secret_value_key(it.key()) && !it.value().is_null() ? nlohmann::json("***") : masked(it.value(), redact);
    }
    return out;
  }
  if (v.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : v) out.push_back(masked(item, redact));
    return out;
  }
  if (v.is_string()) return redact.apply(v.get<std::string>());
  return v;
}

}  // namespace

bool is_secret_value_key(std::string_view key) {
  // Compared without case, '_' and '-': "accessToken", "access_token" and "Set-Cookie" are the same key.
  static constexpr std::array<std::string_view, 20> names = {
      "password",      "newpassword",  "oldpassword", "passwd",   "secret",     "secretvalue", "token",
      "accesstoken",   "refreshtoken", "apikey",      "totpseed", "totpsecret", "totpcode",    "twofactorcode",
      "authorization", "cookie",       "setcookie",   "bearer",   "sessionid",  "clientsecret"};
  std::string k;
  for (char c : util::ascii_lower(key)) {
    if (c != '_' && c != '-') k.push_back(c);
  }
  return std::find(names.begin(), names.end(), k) != names.end();
}

nlohmann::json mask_secrets(const nlohmann::json& value, const core::redactor& redact) { return masked(value, redact); }

}  // namespace smharden::journal
