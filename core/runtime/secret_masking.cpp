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
  static constexpr std::array<std::string_view, 12> names = {
      "password", "new_password", "old_password",  "passwd",  "secret",    "secret_value",
      "token",    "access_token", "refresh_token", "api_key", "totp_seed", "totp_secret"};
  const std::string k = util::ascii_lower(key);
  return std::find(names.begin(), names.end(), k) != names.end();
}

nlohmann::json mask_secrets(const nlohmann::json& value, const core::redactor& redact) { return masked(value, redact); }

}  // namespace smharden::journal
