// Belt and braces for the journal: service params carry secret NAMES only,
// but a value under a key that names a secret ("password", "token", ...) is
// replaced anyway, after the run's redactor has replaced every known value.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "runtime/redactor.hpp"

namespace smharden::journal {

/// True for keys whose value is a secret itself (not a secret's name, like "password_secret").
bool is_secret_value_key(std::string_view key);

/// `value` with known secret values redacted and secret-valued keys masked as "***".
nlohmann::json mask_secrets(const nlohmann::json& value, const core::redactor& redact);

}  // namespace smharden::journal
