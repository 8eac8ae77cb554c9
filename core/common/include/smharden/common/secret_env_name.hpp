// The environment variable that supplies a secret: SMHARDEN_SECRET_ and the
// secret's name upper-cased, with every character other than an ASCII letter
// or digit replaced by '_' ("smartermail-password" -> SMHARDEN_SECRET_SMARTERMAIL_PASSWORD).
// The host reads the variable by this name, and every message that tells an
// operator which variable to set names it by this name.
#pragma once

#include <string>
#include <string_view>

namespace smharden::common {

inline constexpr std::string_view secret_env_prefix = "SMHARDEN_SECRET_";

std::string secret_env_name(std::string_view secret_name);

}  // namespace smharden::common
