#include "services/smartermail/rest_api.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <random>
#include <thread>

#include "base/errors.hpp"
#include "base/json_reader.hpp"
#include "services/smartermail/totp.hpp"

namespace smharden::services::smartermail {
namespace {

using std::chrono::system_clock;

std::string random_client_id() {
  std::random_device rd;
  std::uniform_int_distribution<int> digit(0, 15);
  std::string id = "smharden-";
  for (int i = 0; i < 16; ++i) id.push_back("0123456789abcdef"[digit(rd)]);
  return id;
}

std::string first_segment(const std::string& message) { return message.substr(0, message.find('|')); }

std::string segment(const std::string& message, std::size_t index) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < index; ++i) {
    start = message.find('|', start);
    if (start == std::string::npos) return "";
    ++start;
  }
  return message.substr(start, message.find('|', start) - start);
}

std::string clip(const std::string& text) { return text.size() > 200 ? text.substr(0, 200) + "..." : text; }

}  // namespace

std::optional<system_clock::time_point> parse_iso8601(const std::string& text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  double s = 0;
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%lf%n", &y, &mo, &d, &h, &mi, &s, &consumed) < 6)
    return std::nullopt;
  // system_clock counts nanoseconds in 64 bits (up to the year 2262): a date outside what a token can
  // mean, or a field out of its range, is no expiry at all rather than an overflow.
  if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
      !(s >= 0 && s < 61)) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = static_cast<int>(s);
#ifdef _WIN32
  const std::time_t base = _mkgmtime(&tm);
#else
  const std::time_t base = timegm(&tm);
#endif
  if (base == static_cast<std::time_t>(-1)) return std::nullopt;
  long offset = 0;
  const std::string zone = text.substr(static_cast<std::size_t>(consumed));
  if (!zone.empty() && (zone[0] == '+' || zone[0] == '-')) {
    int zh = 0, zm = 0;
    if (std::sscanf(zone.c_str() + 1, "%2d:%2d", &zh, &zm) >= 1) {
      if (zh < 0 || zh > 23 || zm < 0 || zm > 59) return std::nullopt;
      offset = (zh * 3600L + zm * 60L) * (zone[0] == '+' ? 1 : -1);
    }
  }
  return system_clock::from_time_t(base - offset);
}

rest_api::rest_api(route_map map, rest_options options, std::unique_ptr<http_transport> transport, secret_lookup secret,
                   log_sink log)
    : map_(std::move(map)),
      options_(std::move(options)),
      transport_(std::move(transport)),
      secret_(std::move(secret)),
      log_(std::move(log)),
      client_id_(random_client_id()) {
  while (!options_.base_url.empty() && options_.base_url.back() == '/') options_.base_url.pop_back();
  if (!options_.sleep) options_.sleep = [](std::chrono::milliseconds ms) { std::this_thread::sleep_for(ms); };
  if (!log_) log_ = [](const std::string&) {};
  if (!options_.sensitive) options_.sensitive = [](const std::string&) {};
}

rest_api::~rest_api() = default;

std::string rest_api::message_of(const json& body) const {
  const auto it = body.find(map_.field("response.message"));
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool rest_api::success_of(const json& body) const {
  const auto it = body.find(map_.field("response.success"));
  return it == body.end() || !it->is_boolean() || it->get<bool>();
}

rest_api::answer rest_api::send(const route& r, const std::string& path, const json& body, const std::string& bearer) {
  http_request request;
  request.method = r.method;
  request.url = options_.base_url + path;
  request.headers.emplace_back("Accept", "application/json");
  if (!bearer.empty()) request.headers.emplace_back("Authorization", "Bearer " + bearer);
  if (r.method == "POST") {
    request.headers.emplace_back("Content-Type", "application/json");
    request.body = body.dump();
  }
  ++requests_;
  const http_response response = transport_->send(request);
  answer a;
  a.status = response.status;
  if (!response.body.empty()) {
    try {
      a.body = core::parse_json(response.body, fmt::format("the answer to {} {}", r.method, path),
                                core::json_read_options{core::target_json_limits, core::json_blame::data, false, "JSON",
                                                        /*quote_input=*/false});
    } catch (const core::error& e) {
      a.body = json();
      a.json_error = e.what();
    }
    if (!a.body.is_object()) {
      a.body = json::object();
      a.json_ok = false;
    }
  } else {
    a.body = json::object();
  }
  // Whatever token an answer carries is redacted from every output before anything can print it.
  for (const char* key : {"token.access", "token.refresh"}) {
    const auto it = a.body.find(map_.field(key));
    if (it != a.body.end() && it->is_string()) options_.sensitive(it->get<std::string>());
  }
  return a;
}

std::optional<std::string> rest_api::documentation(const std::string& path) {
  ensure_session();  // the reference may need a signed-in user; the token goes only to this server
  http_request request;
  request.method = "GET";
  request.url = options_.base_url + path;
  request.headers.emplace_back("Accept", "text/html, application/json");
  request.headers.emplace_back("Authorization", "Bearer " + access_token_);
  ++requests_;
  http_response response;
  try {
    response = transport_->send(request);
  } catch (const transport_error& e) {
    throw service_error("unavailable", fmt::format("GET {}: {}", path, e.what()));
  }
  if (response.status != 200) {
    throw service_error(response.status == 404 ? "not_found" : "failed",
                        fmt::format("GET {} answered HTTP {}", path, response.status));
  }
  return response.body;
}

[[noreturn]] void rest_api::login_failed(const std::string& code, const std::string& message) {
  session_failure_ = message;
  session_failure_code_ = code;
  access_token_.clear();
  refresh_token_.clear();
  log_("smartermail: sign-in failed; no further attempt in this run");
  throw service_error(code, message);
}

std::string rest_api::two_factor_code() {
  if (auto code = secret_("smartermail_totp_code"); code && !code->empty()) {
    options_.sensitive(*code);
    return *code;
  }
  const auto seed = secret_("smartermail_totp_seed");
  if (!seed || seed->empty()) {
    login_failed("refused",
                 "the SmarterMail admin account has two-factor authentication: supply the secret "
                 "smartermail_totp_seed (the base32 seed) or smartermail_totp_code (a current code)");
  }
  byte_string key;
  try {
    key = base32_decode(*seed);
  } catch (const std::invalid_argument& e) {
    login_failed("invalid_params", std::string("secret smartermail_totp_seed: ") + e.what());
  }
  auto now = std::chrono::duration_cast<std::chrono::seconds>(options_.clock().time_since_epoch()).count();
  if (now % 30 >= 28) {  // too close to the end of the window: use the next one
    options_.sleep(std::chrono::milliseconds((30 - now % 30) * 1000));
    now += 30 - now % 30;
  }
  std::string code = totp(key, now);
  options_.sensitive(code);
  return code;
}

void rest_api::take_tokens(const json& body, const std::string& what) {
  const auto access = body.find(map_.field("token.access"));
  if (access == body.end() || !access->is_string() || access->get<std::string>().empty()) {
    login_failed("failed", fmt::format("SmarterMail {}: the answer holds no {}", what, map_.field("token.access")));
  }
  access_token_ = access->get<std::string>();
  const auto refresh_it = body.find(map_.field("token.refresh"));
  if (refresh_it != body.end() && refresh_it->is_string()) refresh_token_ = refresh_it->get<std::string>();
  const auto exp = body.find(map_.field("token.access_expiration"));
  std::optional<system_clock::time_point> when;
  if (exp != body.end() && exp->is_string()) when = parse_iso8601(exp->get<std::string>());
  // 15 minutes is the shortest lifetime third parties report.
  expires_ = when.value_or(options_.clock() + std::chrono::minutes(15));
}

void rest_api::login() {
  const route r = map_.get("auth.login");
  std::optional<std::string> username = secret_("smartermail_username");
  if (!username || username->empty()) {
    if (options_.config_username.empty()) {
      login_failed("invalid_params",
                   "no SmarterMail username: set \"username\" under \"smartermail\" in target.json or supply the "
                   "secret smartermail_username");
    }
    username = options_.config_username;
  }
  const auto password = secret_("smartermail_password");
  if (!password || password->empty()) {
    login_failed("invalid_params", "no SmarterMail password: supply the secret smartermail_password");
  }
  json body = {{map_.field("login.username"), *username},
               {map_.field("login.password"), *password},
               {map_.field("login.client_id"), client_id_}};
  ++logins_;
  answer a;
  try {
    a = send(r, map_.url_path(r), body, "");
  } catch (const transport_error& e) {
    login_failed("unavailable", fmt::format("SmarterMail sign-in: {}", e.what()));
  }
  std::string message = message_of(a.body);
  std::string code = first_segment(message);
  const bool has_token = a.body.contains(map_.field("token.access")) &&
                         a.body[map_.field("token.access")].is_string() &&
                         !a.body[map_.field("token.access")].get<std::string>().empty();

  if (code == "TWO_FACTOR_REQUIRED" || code == "TWO_FACTOR_SETUP_REQUIRED") {
    const std::string method = segment(message, 1);
    if (method == "APP_PASSWORD") {
      login_failed("refused", "the SmarterMail account requires app passwords, which the API does not accept");
    }
    if (code == "TWO_FACTOR_SETUP_REQUIRED" || method.find("NOT_SETUP") != std::string::npos) {
      login_failed("refused",
                   "the SmarterMail account must set up two-factor authentication in the web interface first");
    }
    if (a.status == 200 && success_of(a.body) && has_token) {
      // Current builds: a 10-minute step token, then authenticate-two-factor-code.
      finish_two_factor(a.body[map_.field("token.access")].get<std::string>(), method);
      return;
    }
    // Older builds: 401 without a token; replay the sign-in with the code.
    body[map_.field("login.two_factor_code")] = two_factor_code();
    ++logins_;
    try {
      a = send(r, map_.url_path(r), body, "");
    } catch (const transport_error& e) {
      login_failed("unavailable", fmt::format("SmarterMail sign-in (two-factor): {}", e.what()));
    }
    message = message_of(a.body);
    code = first_segment(message);
    log_("smartermail: two-factor sign-in (code in the sign-in request)");
  }
  if (a.status != 200 || !success_of(a.body)) {
    login_failed(a.status == 401 || a.status == 403 || a.status == 200 ? "refused" : "unavailable",
                 fmt::format("SmarterMail rejected the sign-in (HTTP {}{}); smharden does not retry it because "
                             "the server's IDS counts failed logins per IP",
                             a.status, code.empty() ? "" : ", " + code));
  }
  const auto flag = [&](const char* key) {
    const auto it = a.body.find(map_.field(key));
    return it != a.body.end() && it->is_boolean() && it->get<bool>();
  };
  if (flag("token.change_password") || flag("token.password_expired")) {
    login_failed("refused",
                 "the SmarterMail account must change its password in the web interface before the API can be used");
  }
  take_tokens(a.body, "sign-in");
  log_(fmt::format("smartermail: signed in (clientId {})", client_id_));
}

void rest_api::finish_two_factor(const std::string& step_token, const std::string& method) {
  const route r = map_.get("auth.two_factor");
  const json body = {{map_.field("two_factor.code"), two_factor_code()},
                     {map_.field("two_factor.client_id"), client_id_}};
  answer a;
  try {
    a = send(r, map_.url_path(r), body, step_token);
  } catch (const transport_error& e) {
    login_failed("unavailable", fmt::format("SmarterMail two-factor step: {}", e.what()));
  }
  if (a.status != 200 || !success_of(a.body)) {
    const std::string code = first_segment(message_of(a.body));
    login_failed("refused", fmt::format("SmarterMail rejected the two-factor code (HTTP {}{}); not retried", a.status,
                                        code.empty() ? "" : ", " + code));
  }
  take_tokens(a.body, "two-factor step");
  log_(fmt::format("smartermail: signed in with two-factor ({}, clientId {})", method.empty() ? "rfc6238" : method,
                   client_id_));
}

void rest_api::refresh() {
  const route r = map_.get("auth.refresh");
  const json body = {{map_.field("refresh.token"), refresh_token_}, {map_.field("refresh.client_id"), client_id_}};
  answer a;
  try {
    a = send(r, map_.url_path(r), body, "");
  } catch (const transport_error& e) {
    login_failed("unavailable", fmt::format("SmarterMail token refresh: {}", e.what()));
  }
  if (a.status != 200 || !success_of(a.body)) {
    login_failed("refused",
                 fmt::format("SmarterMail refused the token refresh (HTTP {}); the session is over", a.status));
  }
  take_tokens(a.body, "token refresh");
  log_("smartermail: token refreshed");
}

void rest_api::ensure_session() {
  if (session_failure_) throw service_error(session_failure_code_, *session_failure_);
  if (access_token_.empty()) {
    login();
  } else if (options_.clock() + options_.refresh_margin >= expires_) {
    if (refresh_token_.empty()) {
      login_failed("refused", "the SmarterMail token expired and the server gave no refresh token");
    }
    refresh();
  }
}

json rest_api::call(const std::string& route_key, const path_args& args, const json& body) {
  const route r = map_.get(route_key);
  const std::string path = map_.url_path(r, args);
  const std::string where = fmt::format("{} {} ({})", r.method, path, route_key);
  int attempts_left = r.read ? std::max(1, options_.read_attempts) : 1;
  std::chrono::milliseconds backoff = options_.backoff;
  bool refreshed = false;
  for (;;) {
    ensure_session();
    --attempts_left;
    answer a;
    try {
      a = send(r, path, body, access_token_);
    } catch (const transport_error& e) {
      const bool transient = e.kind() == transport_failure::timeout || e.kind() == transport_failure::dropped ||
                             e.kind() == transport_failure::connect;
      if (transient && attempts_left > 0) {
        log_(fmt::format("smartermail: {} failed ({}); retrying a read", where, e.what()));
        options_.sleep(backoff);
        backoff *= 2;
        continue;
      }
      throw service_error("unavailable", r.read ? fmt::format("SmarterMail {}: {}", where, e.what())
                                                : fmt::format("SmarterMail {}: {}; the write's outcome is unknown, "
                                                              "run check again",
                                                              where, e.what()));
    }
    if (a.status == 401 && !refreshed && !refresh_token_.empty()) {
      refreshed = true;  // the token died early (server restart): refresh once, resend (401 = not executed)
      refresh();
      ++attempts_left;
      continue;
    }
    if (a.status >= 500 && attempts_left > 0) {
      log_(fmt::format("smartermail: {} answered HTTP {}; retrying a read", where, a.status));
      options_.sleep(backoff);
      backoff *= 2;
      continue;
    }
    const std::string message = clip(message_of(a.body));
    const std::string detail = message.empty() ? "" : ": " + message;
    if (a.status == 401 || a.status == 403) {
      throw service_error("refused", fmt::format("SmarterMail {} answered HTTP {}{} (is the account a system "
                                                 "administrator?)",
                                                 where, a.status, detail));
    }
    if (a.status == 404) {
      throw service_error("not_found",
                          fmt::format("SmarterMail {} answered 404{}. This server may use another route: run "
                                      "`smharden smartermail probe` and override routes.{} in target.json",
                                      where, detail, route_key));
    }
    if (a.status >= 500)
      throw service_error("unavailable", fmt::format("SmarterMail {} answered HTTP {}{}", where, a.status, detail));
    if (a.status < 200 || a.status >= 300) {
      throw service_error("failed", fmt::format("SmarterMail {} answered HTTP {}{}", where, a.status, detail));
    }
    if (!a.json_ok)
      throw service_error("failed",
                          a.json_error.empty()
                              ? fmt::format("SmarterMail {} answered with a body that is not a JSON object", where)
                              : fmt::format("SmarterMail {} answered with unusable JSON: {}", where, a.json_error));
    if (!success_of(a.body)) {
      throw service_error("failed",
                          fmt::format("SmarterMail {} answered HTTP {} with success:false{}", where, a.status, detail));
    }
    return a.body;
  }
}

void rest_api::end_run() noexcept {
  try {
    if (!access_token_.empty() && !session_failure_) {
      const route r = map_.get("auth.logout");
      send(r, map_.url_path(r), json::object(), access_token_);
      log_("smartermail: signed out");
    }
  } catch (...) {
    // The tokens die on their own; a failed sign-out must not fail the run.
  }
  access_token_.clear();
  refresh_token_.clear();
}

}  // namespace smharden::services::smartermail
