// Which backend serves a target, from the "smartermail" object of target.json:
//   {"url": "https://mail.example.com", "username": "admin", "ca_file": "ca.pem",
//    "pin_sha256": "ab:cd:...", "verify_tls": true, "timeout_seconds": 60,
//    "connect_timeout_seconds": 10, "read_attempts": 3,
//    "routes": {...}, "fields": {...}, "values": {...}}
#include <fmt/format.h>

#include <filesystem>
#include <set>

#include "base/atomic_file.hpp"
#include "base/errors.hpp"
#include "services/smartermail/lab_api.hpp"
#include "services/smartermail/lab_store.hpp"
#include "services/smartermail/rest_api.hpp"
#include "services/smartermail/smartermail_service.hpp"
#include "services/url_policy.hpp"

namespace smharden::services {
namespace smartermail {
namespace {

std::string origin_of(const target& t) {
  if (t.kind == target_kind::local && t.root.empty()) return "the target's \"smartermail\" settings";
  return fmt::format("{} (\"smartermail\")", (t.root / "target.json").string());
}

[[noreturn]] void bad(const target& t, const std::string& key, const std::string& what) {
  throw core::profile_error(fmt::format("{}: /smartermail/{}: {}", origin_of(t), key, what));
}

const std::set<std::string>& known_settings() {
  static const std::set<std::string> keys = {"url",
                                             "username",
                                             "ca_file",
                                             "pin_sha256",
                                             "verify_tls",
                                             "timeout_seconds",
                                             "connect_timeout_seconds",
                                             "read_attempts",
                                             "allow_plain_http",
                                             "routes",
                                             "fields",
                                             "values",
                                             "$comment"};
  return keys;
}

int int_setting(const target& t, const json& cfg, const char* key, int fallback, int min, int max) {
  const auto it = cfg.find(key);
  if (it == cfg.end()) return fallback;
  if (!it->is_number_integer() || it->get<long long>() < min || it->get<long long>() > max) {
    bad(t, key, fmt::format("must be an integer from {} to {}", min, max));
  }
  return it->get<int>();
}

std::string string_setting(const target& t, const json& cfg, const char* key) {
  const auto it = cfg.find(key);
  if (it == cfg.end()) return "";
  if (!it->is_string()) bad(t, key, "must be a string");
  return it->get<std::string>();
}

}  // namespace

route_map route_map_for(const target& t) {
  route_map map = route_map::embedded();
  map.apply_overrides(t.service_config("smartermail"), origin_of(t));
  return map;
}

std::unique_ptr<api_backend> make_backend(const target& t, service_env& env, const route_map& map) {
  const json cfg = t.service_config("smartermail");
  for (const auto& [key, value] : cfg.items()) {
    if (known_settings().count(key) == 0) {
      bad(t, key,
          "unknown setting; known: url, username, ca_file, pin_sha256, verify_tls, timeout_seconds, "
          "connect_timeout_seconds, read_attempts, allow_plain_http, routes, fields, values");
    }
  }
  std::string url = string_setting(t, cfg, "url");
  if (url.empty() && t.kind != target_kind::local) {
    const auto dir = t.root / "smartermail";
    return std::make_unique<lab_api>(map, dir, journaled_writes(env));
  }
  if (url.empty()) url = "http://127.0.0.1:9998";  // the built-in web server, sysadmin login via localhost
  if (const auto plain = cfg.find("allow_plain_http"); plain != cfg.end() && *plain != json(false)) {
    bad(t, "allow_plain_http",
        "plain http:// is only for loopback (127.0.0.1, [::1], localhost) and cannot be allowed for another host; "
        "remove the setting and use https://");
  }
  try {
    check_url(url);
  } catch (const url_refused& e) {
    bad(t, "url", e.what());
  }
  rest_options options;
  options.base_url = url;
  options.config_username = string_setting(t, cfg, "username");
  options.read_attempts = int_setting(t, cfg, "read_attempts", 3, 1, 10);
  options.sensitive = env.sensitive;
  transport_options tls;
  const auto verify = cfg.find("verify_tls");
  if (verify != cfg.end()) {
    if (!verify->is_boolean()) bad(t, "verify_tls", "must be true or false");
    tls.verify_tls = verify->get<bool>();
  }
  tls.ca_file = string_setting(t, cfg, "ca_file");
  if (!tls.ca_file.empty()) {
    std::filesystem::path ca(tls.ca_file);
    if (ca.is_relative() && !t.root.empty()) ca = t.root / ca;
    if (!std::filesystem::is_regular_file(ca)) bad(t, "ca_file", fmt::format("{} is not a file", ca.string()));
    tls.ca_file = ca.string();
  }
  tls.pin_sha256 = string_setting(t, cfg, "pin_sha256");
  if (!tls.pin_sha256.empty()) {
    try {
      tls.pin_sha256 = normalize_pin(tls.pin_sha256);
    } catch (const std::invalid_argument& e) {
      bad(t, "pin_sha256", e.what());
    }
  }
  tls.timeout = std::chrono::seconds(int_setting(t, cfg, "timeout_seconds", 60, 1, 3600));
  tls.connect_timeout = std::chrono::seconds(int_setting(t, cfg, "connect_timeout_seconds", 10, 1, 600));
  return std::make_unique<rest_api>(map, options, make_native_transport(tls), env.secret, env.log);
}

}  // namespace smartermail

std::unique_ptr<service> make_smartermail_service(const target& t, service_env& env) {
  smartermail::route_map map = smartermail::route_map_for(t);
  auto backend = smartermail::make_backend(t, env, map);
  return std::make_unique<smartermail::smartermail_service>(std::move(backend), std::move(map));
}

void seed_smartermail_lab(const std::filesystem::path& dir) {
  const auto folder = dir / "smartermail";
  std::filesystem::create_directories(folder);
  const auto map = smartermail::route_map::embedded();
  for (const auto& [name, doc] : smartermail::lab_store::default_documents(map)) {
    util::write_file_atomic(folder / (name + ".json"), doc.dump(2) + "\n");
  }
}

nlohmann::json probe_routes(const target& t, service_env& env) {
  smartermail::route_map map = smartermail::route_map_for(t);
  auto backend = smartermail::make_backend(t, env, map);
  json report = smartermail::probe(*backend, map);
  backend->end_run();
  report["target"] = t.describe();
  return env.redact ? smartermail::redacted(report, env.redact) : report;
}

}  // namespace smharden::services
