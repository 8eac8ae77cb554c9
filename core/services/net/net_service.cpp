#include "services/net/net_service.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "services/method_table.hpp"
#include "services/net/http_probe.hpp"
#include "services/url_policy.hpp"

namespace smharden::services {
namespace net {
namespace {

class net_service final : public service {
 public:
  explicit net_service(service_env& env) : env_(env) {}
  std::string name() const override { return "net"; }
  void register_methods(registry& r) override;
  service_env& env() noexcept { return env_; }

 private:
  service_env& env_;
};

json http_probe(net_service& /*self*/, const json& p) {
  http_probe_request req;
  req.url = require_string(p, "url");
  try {
    check_url(req.url);
  } catch (const url_refused& e) {
    throw service_error("invalid_params", fmt::format("url: {}", e.what()));
  }
  const json expect = p.value("expect_status", json::array({200}));
  if (!expect.is_array() || expect.empty() ||
      !std::all_of(expect.begin(), expect.end(), [](const json& s) { return s.is_number_integer(); })) {
    throw service_error("invalid_params", "expect_status must be a non-empty array of HTTP status codes");
  }
  const json timeout = p.value("timeout_ms", json(5000));
  if (!timeout.is_number_integer() || timeout.get<long>() <= 0) {
    throw service_error("invalid_params", "timeout_ms must be a positive integer");
  }
  req.timeout = std::chrono::milliseconds(timeout.get<long>());
  req.verify_tls = p.value("verify_tls", true);
  req.ca_file = p.value("ca_file", "");
  http_probe_result r;
  try {
    r = http_get_status(req);
  } catch (const std::invalid_argument& e) {
    throw service_error("invalid_params", e.what());
  }
  const bool expected =
      r.answered && std::any_of(expect.begin(), expect.end(), [&](const json& s) { return s.get<long>() == r.status; });
  json out = {{"ok", expected},
              {"url", req.url},
              {"status", r.answered ? json(r.status) : json(nullptr)},
              {"expect_status", expect},
              {"elapsed_ms", r.elapsed_ms}};
  if (r.answered) {
    out["headers"] = r.headers.values();
    if (r.headers.truncated()) out["headers_truncated"] = true;
  }
  if (!r.answered) {
    out["error"] = r.error;
  } else if (!expected) {
    out["error"] = fmt::format("answered {} (expected {})", r.status, expect.dump());
  }
  return out;
}

const method_entry<net_service> net_methods[] = {
    {"net.http.probe",
     access::read_only,
     "GET a URL and compare the answer's status with the expected ones; the answer's headers come back with "
     "lower-case names (a repeated header's values joined with \", \"; at most 200 headers and 64 KiB, else "
     "`headers_truncated`)",
     {"`{url, expect_status? ([200]), timeout_ms? (5000), verify_tls? (true), ca_file?}`",
      "`{ok, url, status (null when nothing answered), expect_status, elapsed_ms, headers? ({name: value}, when "
      "answered), headers_truncated?, error?}`",
      ""},
     &http_probe},
};

void net_service::register_methods(registry& r) { add_methods(r, *this, net_methods); }

}  // namespace

}  // namespace net

std::unique_ptr<service> make_net_service(const target& /*t*/, service_env& env) {
  return std::make_unique<net::net_service>(env);
}

}  // namespace smharden::services
