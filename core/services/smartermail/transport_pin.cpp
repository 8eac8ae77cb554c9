#include <cctype>
#include <stdexcept>

#include "services/smartermail/http_transport.hpp"

namespace smharden::services::smartermail {

std::string normalize_pin(const std::string& pin) {
  std::string out;
  for (const char c : pin) {
    if (c == ':' || c == ' ') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      throw std::invalid_argument(
          "pin_sha256 must be the certificate's SHA-256 fingerprint in hex (64 digits, colons allowed)");
    }
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (out.size() != 64) {
    throw std::invalid_argument(
        "pin_sha256 must be the certificate's SHA-256 fingerprint in hex (64 digits, colons allowed)");
  }
  return out;
}

}  // namespace smharden::services::smartermail
