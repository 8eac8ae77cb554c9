#include <array>
#include <stdexcept>

#include "base/atomic_file.hpp"
#include "base/hex.hpp"

#ifdef _WIN32
#include <windows.h>
#include <bcrypt.h>
#ifndef BCRYPT_SHA256_ALG_HANDLE  // Windows 10 pseudo-handle; missing from MinGW-w64 10's bcrypt.h
#define BCRYPT_SHA256_ALG_HANDLE (reinterpret_cast<BCRYPT_ALG_HANDLE>(0x00000041))
#endif
#else
#include <openssl/evp.h>
#endif

namespace smharden::util {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, 32> digest{};
#ifdef _WIN32
  if (BCryptHash(BCRYPT_SHA256_ALG_HANDLE, nullptr, 0, reinterpret_cast<PUCHAR>(const_cast<char*>(bytes.data())),
                 static_cast<ULONG>(bytes.size()), digest.data(), static_cast<ULONG>(digest.size())) != 0) {
    throw std::runtime_error("SHA-256 failed");
  }
#else
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &len, EVP_sha256(), nullptr) != 1 || len != digest.size()) {
    throw std::runtime_error("SHA-256 failed");
  }
#endif
  return hex_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

}  // namespace smharden::util
