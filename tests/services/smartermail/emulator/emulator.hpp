// A SmarterMail API emulator for tests and the benchmark: serves the route
// map (routes.json) over HTTP or HTTPS on 127.0.0.1 with state (lab_store in
// memory), sign-in with both two-factor styles, token expiry and refresh,
// both error styles, fault injection and request counting.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "services/smartermail/lab_store.hpp"

namespace httplib {
class Server;
}

namespace smharden::testing {

using json = nlohmann::json;
namespace sm = smharden::services::smartermail;

enum class two_factor_style {
  none,
  step,    ///< current builds: 200 + a step token, then authenticate-two-factor-code
  legacy,  ///< older builds: 401 TWO_FACTOR_REQUIRED, replay authenticate-user with twoFactorCode
};

enum class error_style {
  http,  ///< 4xx with a JSON message
  body,  ///< 200 with success:false
};

enum class fault {
  latency,          ///< sleep, then answer normally
  status_500,       ///< HTTP 500
  drop_connection,  ///< headers, then the connection closes mid-body
  success_false,    ///< 200 with success:false
  drop_body,        ///< a write answers 200 success:true and saves nothing
  echo_secrets,     ///< a signed-in request answers 400 with a message echoing its bearer token and password
};

struct emulator_options {
  bool https = false;
  std::filesystem::path cert_file;  ///< PEM, required for https
  std::filesystem::path key_file;
  std::chrono::seconds token_lifetime{900};
  error_style errors = error_style::http;
};

class sm_emulator {
 public:
  explicit sm_emulator(emulator_options options = {});
  ~sm_emulator();
  sm_emulator(const sm_emulator&) = delete;
  sm_emulator& operator=(const sm_emulator&) = delete;

  int port() const noexcept { return port_; }
  std::string base_url() const;

  void add_account(const std::string& username, const std::string& password,
                   two_factor_style style = two_factor_style::none, const std::string& totp_seed_base32 = "");
  /// The next `times` requests to `route_key` ("*" = any route) get `f`.
  void inject(const std::string& route_key, fault f, int times = 1,
              std::chrono::milliseconds latency = std::chrono::milliseconds(0));
  void set_error_style(error_style style);
  /// Every access token issued so far stops working (401).
  void expire_tokens();

  std::size_t count(const std::string& route_key) const;
  std::size_t total() const;
  /// Failed sign-ins (wrong password or code), as the IDS would count them.
  std::size_t failed_logins() const;
  void reset_counts();

  /// Serves `text` (200, text/html) at `path`, e.g. "/Documentation/api"; other pages answer 404.
  void set_documentation(const std::string& path, const std::string& text);

  /// Runs `fn` on the state under the emulator's lock.
  void with_state(const std::function<void(sm::lab_store&)>& fn);

 private:
  struct session {
    std::string username;
    std::string client_id;
    std::string access;
    std::string refresh;
    std::chrono::system_clock::time_point expires;
    bool step = false;  // a two-factor step token (403 on real endpoints)
  };
  struct account {
    std::string password;
    two_factor_style style = two_factor_style::none;
    std::string seed;
  };
  struct pending_fault {
    std::string route;
    fault kind;
    int times;
    std::chrono::milliseconds latency;
  };

  void register_routes();
  json issue_tokens(const std::string& username, const std::string& client_id, bool step);
  bool code_ok(const account& a, const std::string& code) const;

  sm::route_map map_;
  emulator_options options_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;

  mutable std::mutex mutex_;
  sm::lab_store state_;
  std::map<std::string, account> accounts_;
  std::vector<session> sessions_;
  std::vector<pending_fault> faults_;
  std::map<std::string, std::size_t> counts_;
  std::map<std::string, std::string> documentation_;
  std::size_t total_ = 0;
  std::size_t failed_logins_ = 0;
  std::size_t next_token_ = 1;
};

/// A self-signed certificate (EC P-256, SAN localhost and 127.0.0.1) made
/// with OpenSSL; returns its SHA-256 fingerprint (hex).
std::string make_self_signed_certificate(const std::filesystem::path& cert_file, const std::filesystem::path& key_file);

}  // namespace smharden::testing
