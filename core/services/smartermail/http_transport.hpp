// One HTTP exchange with the SmarterMail server, behind an interface so the
// session logic (login, refresh, retries) is the same over libcurl (Linux)
// and WinHTTP (Windows) and can be tested against the emulator.
#pragma once

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "base/json_reader.hpp"

namespace smharden::services::smartermail {

struct http_request {
  std::string method;  ///< "GET" or "POST"
  std::string url;     ///< absolute, e.g. "https://mail.example.com/api/v1/auth/authenticate-user"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  ///< JSON text; empty for GET
};

/// Answers larger than this are refused (the body is JSON read with core::target_json_limits).
inline constexpr std::size_t max_response_bytes = core::target_json_limits.max_bytes;

struct http_response {
  long status = 0;
  std::string body;
};

/// Why no HTTP answer arrived. Messages never contain request bodies or headers.
enum class transport_failure {
  timeout,  ///< connect or transfer timeout
  connect,  ///< refused, unreachable, DNS
  tls,      ///< handshake, certificate verification or pin mismatch
  dropped,  ///< the connection closed before a complete answer
  other,
};

class transport_error : public std::runtime_error {
 public:
  transport_error(transport_failure kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  transport_failure kind() const noexcept { return kind_; }

 private:
  transport_failure kind_;
};

struct transport_options {
  /// Verify the server certificate against the system store (or ca_file). On by default.
  bool verify_tls = true;
  /// PEM file with the CA (or the self-signed certificate) to trust instead of the system store.
  std::string ca_file;
  /// Hex SHA-256 of the server's DER certificate (`openssl x509 -noout -fingerprint -sha256`,
  /// colons optional). When set, the certificate must match it exactly, whatever signed it.
  std::string pin_sha256;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds timeout{60000};
};

class http_transport {
 public:
  http_transport() = default;
  http_transport(const http_transport&) = delete;
  http_transport& operator=(const http_transport&) = delete;
  virtual ~http_transport() = default;
  /// Sends one request; any HTTP status is an answer. Throws transport_error when none arrives.
  virtual http_response send(const http_request& request) = 0;
};

/// libcurl (OpenSSL) on Linux, WinHTTP on Windows.
std::unique_ptr<http_transport> make_native_transport(const transport_options& options);

/// Lower-case hex without separators; throws std::invalid_argument when `pin` is not 64 hex digits.
std::string normalize_pin(const std::string& pin);

}  // namespace smharden::services::smartermail
