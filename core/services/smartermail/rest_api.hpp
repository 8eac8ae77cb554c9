// The rest backend: a live SmarterMail server at a URL. One session per run:
// signs in lazily on the first call (with two-factor when the account has it),
// sends the Bearer token, refreshes it before it expires, keeps one clientId,
// and signs out in end_run(). A rejected sign-in is never retried: the
// server's IDS counts failed logins per source IP.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "services/smartermail/api_backend.hpp"
#include "services/smartermail/http_transport.hpp"

namespace smharden::services::smartermail {

struct rest_options {
  std::string base_url;  ///< e.g. "https://mail.example.com:443" (no trailing slash needed)
  /// Sign-in name when the secret smartermail_username is not set.
  std::string config_username;
  int read_attempts = 3;                    ///< total attempts for a read on 5xx/timeout/dropped connection
  std::chrono::milliseconds backoff{500};   ///< doubled after each failed attempt
  std::chrono::seconds refresh_margin{60};  ///< refresh this long before accessTokenExpiration
  std::function<std::chrono::system_clock::time_point()> clock = [] { return std::chrono::system_clock::now(); };
  std::function<void(std::chrono::milliseconds)> sleep;  ///< default: std::this_thread::sleep_for
  /// Registers a value for redaction (tokens the server issues, generated TOTP codes).
  std::function<void(const std::string&)> sensitive;
};

using secret_lookup = std::function<std::optional<std::string>(const std::string&)>;
using log_sink = std::function<void(const std::string&)>;

class rest_api final : public api_backend {
 public:
  rest_api(route_map map, rest_options options, std::unique_ptr<http_transport> transport, secret_lookup secret,
           log_sink log);
  ~rest_api() override;

  std::string kind() const override { return "rest"; }
  json call(const std::string& route_key, const path_args& args, const json& body) override;
  void end_run() noexcept override;
  std::optional<std::string> documentation(const std::string& path) override;

  /// HTTP requests sent so far (sign-in, refresh and sign-out included).
  std::size_t requests_sent() const noexcept { return requests_; }
  std::size_t logins() const noexcept { return logins_; }
  const std::string& client_id() const noexcept { return client_id_; }
  const route_map& routes() const noexcept { return map_; }

 private:
  struct answer {
    long status = 0;
    json body;  // object; {} when the body was empty or not JSON
    bool json_ok = true;
    std::string json_error;  // why the body could not be read, when it is JSON over a limit
  };
  answer send(const route& r, const std::string& path, const json& body, const std::string& bearer);
  void ensure_session();
  void login();
  void finish_two_factor(const std::string& step_token, const std::string& method);
  void refresh();
  void take_tokens(const json& body, const std::string& what);
  std::string two_factor_code();
  [[noreturn]] void login_failed(const std::string& code, const std::string& message);
  std::string message_of(const json& body) const;
  bool success_of(const json& body) const;

  route_map map_;
  rest_options options_;
  std::unique_ptr<http_transport> transport_;
  secret_lookup secret_;
  log_sink log_;

  std::string client_id_;
  std::string access_token_;
  std::string refresh_token_;
  std::chrono::system_clock::time_point expires_{};
  std::optional<std::string> session_failure_;  // sticky for the run
  std::string session_failure_code_;
  std::size_t requests_ = 0;
  std::size_t logins_ = 0;
};

/// Parses accessTokenExpiration ("2026-01-08T12:34:56.789Z", offsets, or no
/// zone = UTC). nullopt when it cannot.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(const std::string& text);

}  // namespace smharden::services::smartermail
