// RFC 6238 time-based one-time passwords (HMAC-SHA1, as authenticator apps
// and SmarterMail's "rfc6238" two-factor method use).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace smharden::services::smartermail {

using byte_string = std::vector<unsigned char>;

/// HMAC-SHA1 (OpenSSL on Linux, BCrypt on Windows).
byte_string hmac_sha1(const byte_string& key, const byte_string& message);

/// RFC 4226 HOTP value for `counter`, zero-padded to `digits` (6..8).
std::string hotp(const byte_string& key, std::uint64_t counter, int digits = 6);

/// RFC 6238 TOTP for `unix_seconds` with a 30-second step by default.
std::string totp(const byte_string& key, std::int64_t unix_seconds, int digits = 6, int step_seconds = 30);

/// Decodes an authenticator seed (RFC 4648 base32; case, spaces, dashes and
/// '=' padding ignored). Throws std::invalid_argument without echoing the seed.
byte_string base32_decode(std::string_view text);

}  // namespace smharden::services::smartermail
