#include "services/smartermail/totp.hpp"

#include <stdexcept>

#ifdef _WIN32
#include <windows.h>
// after windows.h, which it needs
#include <bcrypt.h>
#else
#include <openssl/evp.h>
#include <openssl/hmac.h>
#endif

namespace smharden::services::smartermail {

byte_string hmac_sha1(const byte_string& key, const byte_string& message) {
  byte_string digest(20);
#ifdef _WIN32
  BCRYPT_ALG_HANDLE alg = nullptr;
  BCRYPT_HASH_HANDLE hash = nullptr;
  bool ok = BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA1_ALGORITHM, nullptr, BCRYPT_ALG_HANDLE_HMAC_FLAG) == 0;
  ok = ok &&
       BCryptCreateHash(alg, &hash, nullptr, 0, const_cast<PUCHAR>(key.data()), static_cast<ULONG>(key.size()), 0) == 0;
  ok = ok && BCryptHashData(hash, const_cast<PUCHAR>(message.data()), static_cast<ULONG>(message.size()), 0) == 0;
  ok = ok && BCryptFinishHash(hash, digest.data(), static_cast<ULONG>(digest.size()), 0) == 0;
  if (hash != nullptr) BCryptDestroyHash(hash);
  if (alg != nullptr) BCryptCloseAlgorithmProvider(alg, 0);
  if (!ok) throw std::runtime_error("HMAC-SHA1 failed (BCrypt)");
#else
  unsigned int len = 0;
  if (HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), message.data(), message.size(), digest.data(), &len) ==
          nullptr ||
      len != digest.size()) {
    throw std::runtime_error("HMAC-SHA1 failed (OpenSSL)");
  }
#endif
  return digest;
}

std::string hotp(const byte_string& key, std::uint64_t counter, int digits) {
  if (digits < 6 || digits > 8) throw std::invalid_argument("HOTP digits must be 6, 7 or 8");
  byte_string message(8);
  for (int i = 7; i >= 0; --i) {
    message[static_cast<std::size_t>(i)] = static_cast<unsigned char>(counter & 0xFF);
    counter >>= 8;
  }
  const byte_string mac = hmac_sha1(key, message);
  const unsigned offset = mac[19] & 0x0F;
  const std::uint32_t binary =
      (static_cast<std::uint32_t>(mac[offset] & 0x7F) << 24) | (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
      (static_cast<std::uint32_t>(mac[offset + 2]) << 8) | static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t modulo = 1;
  for (int i = 0; i < digits; ++i) modulo *= 10;
  std::string code = std::to_string(binary % modulo);
  return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::string totp(const byte_string& key, std::int64_t unix_seconds, int digits, int step_seconds) {
  if (unix_seconds < 0 || step_seconds <= 0) throw std::invalid_argument("TOTP needs a time >= 0 and a step > 0");
  return hotp(key, static_cast<std::uint64_t>(unix_seconds / step_seconds), digits);
}

byte_string base32_decode(std::string_view text) {
  byte_string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char raw : text) {
    if (raw == ' ' || raw == '-' || raw == '=') continue;
    const char c = (raw >= 'a' && raw <= 'z') ? static_cast<char>(raw - 'a' + 'A') : raw;
    std::uint32_t value = 0;
    if (c >= 'A' && c <= 'Z') {
      value = static_cast<std::uint32_t>(c - 'A');
    } else if (c >= '2' && c <= '7') {
      value = static_cast<std::uint32_t>(c - '2' + 26);
    } else {
      throw std::invalid_argument("the TOTP seed is not base32 (letters A-Z and digits 2-7)");
    }
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<unsigned char>((buffer >> bits) & 0xFF));
    }
  }
  if (out.empty()) throw std::invalid_argument("the TOTP seed is empty");
  return out;
}

}  // namespace smharden::services::smartermail
