// Health probe settings and the HTTP status probe against a local server.
#include <httplib.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "base/errors.hpp"
#include "run/health_probe.hpp"
#include "services/net/net_service.hpp"
#include "services/service.hpp"

using json = nlohmann::json;
using smharden::core::health_config;

namespace {

/// cpp-httplib on 127.0.0.1, any free port; "/" answers `status`.
class local_server {
 public:
  explicit local_server(int status) {
    server_.Get("/", [status](const httplib::Request&, httplib::Response& res) {
      res.status = status;
      res.set_content("hi", "text/plain");
    });
    server_.Get("/redirect",
                [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/elsewhere", 302); });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~local_server() {
    server_.stop();
    thread_.join();
  }
  std::string url(const std::string& path = "/") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

smharden::services::registry net_methods(smharden::services::service_env& env,
                                         std::unique_ptr<smharden::services::service>& keep) {
  smharden::services::target t;
  keep = smharden::services::make_net_service(t, env);
  smharden::services::registry r;
  keep->register_methods(r);
  return r;
}

}  // namespace

TEST_CASE("net.http.probe reports the status and whether it was expected") {
  local_server ok(200);
  local_server broken(503);
  smharden::services::service_env env;
  std::unique_ptr<smharden::services::service> keep;
  const auto methods = net_methods(env, keep);
  const auto* probe = methods.find("net.http.probe");
  REQUIRE(probe != nullptr);
  const json a = probe->invoke({{"url", ok.url()}});
  CHECK(a["ok"] == true);
  CHECK(a["status"] == 200);
  const json b = probe->invoke({{"url", broken.url()}, {"expect_status", {200, 302}}});
  CHECK(b["ok"] == false);
  CHECK(b["status"] == 503);
  CHECK_THAT(b["error"].get<std::string>(), Catch::Contains("503"));
  // A redirect is an answer, not followed.
  const json c = probe->invoke({{"url", ok.url("/redirect")}, {"expect_status", {302}}});
  CHECK(c["ok"] == true);
  CHECK(c["status"] == 302);
  CHECK_THROWS_AS(probe->invoke({{"url", "ftp://x"}}), smharden::services::service_error);
}

TEST_CASE("net.http.probe: nothing listening is a failed probe, not an exception") {
  int port = 0;
  {
    httplib::Server s;
    port = s.bind_to_any_port("127.0.0.1");
  }  // closed again: nothing listens there now
  smharden::services::service_env env;
  std::unique_ptr<smharden::services::service> keep;
  const auto methods = net_methods(env, keep);
  const json r = methods.find("net.http.probe")
                     ->invoke({{"url", "http://127.0.0.1:" + std::to_string(port) + "/"}, {"timeout_ms", 2000}});
  CHECK(r["ok"] == false);
  CHECK(r["status"].is_null());
  CHECK_FALSE(r["error"].get<std::string>().empty());
}

TEST_CASE("health settings: profile and target merge (target wins), mistakes name the file and pointer") {
  smharden::services::target t;
  t.root = "/labs/one";
  t.config = {{"health", {{"webmail", {{"url", "https://10.0.0.5:9998/"}}}}}};
  const json merged =
      health_config({{"webmail", {{"url", "http://127.0.0.1:9998/"}}}, {"smartermail_login", true}}, "p.json", t);
  CHECK(merged["webmail"]["url"] == "https://10.0.0.5:9998/");
  CHECK(merged["smartermail_login"] == true);
  CHECK(health_config(json::object(), "p.json", smharden::services::target{}).empty());

  const auto fails_with = [](const json& h, const std::string& text) {
    try {
      health_config(h, "customer.json", smharden::services::target{});
      FAIL("expected a profile error for " + h.dump());
    } catch (const smharden::core::profile_error& e) {
      CHECK_THAT(e.what(), Catch::Contains("customer.json"));
      CHECK_THAT(e.what(), Catch::Contains(text));
    }
  };
  fails_with({{"webmail", {{"url", "127.0.0.1:9998"}}}}, "/health/webmail/url");
  fails_with({{"webmail", {{"expect_status", {200}}}}}, "/health/webmail/url");
  fails_with({{"webmail", {{"url", "http://127.0.0.1/"}, {"expect_status", {99}}}}}, "/health/webmail/expect_status");
  fails_with({{"webmail", {{"url", "http://127.0.0.1/"}, {"timeout_ms", 0}}}}, "/health/webmail/timeout_ms");
  fails_with({{"webmial", {{"url", "http://127.0.0.1/"}}}}, "/health/webmial");
  fails_with({{"attempts", "3"}}, "/health/attempts");
}

TEST_CASE("run_health_probe retries until a check passes or attempts run out") {
  local_server broken(500);
  smharden::services::service_env env;
  std::unique_ptr<smharden::services::service> keep;
  const auto methods = net_methods(env, keep);
  std::atomic<bool> cancel{false};
  const json r = smharden::core::run_health_probe(
      {{"webmail", {{"url", broken.url()}}}, {"attempts", 2}, {"interval_ms", 1}}, methods, cancel);
  CHECK(r["ok"] == false);
  CHECK(r["attempts"] == 2);
  REQUIRE(r["checks"].size() == 1);
  CHECK(r["checks"][0]["status"] == 500);
  local_server fine(200);
  const json s = smharden::core::run_health_probe(
      {{"webmail", {{"url", fine.url()}}}, {"attempts", 3}, {"interval_ms", 1}}, methods, cancel);
  CHECK(s["ok"] == true);
  CHECK(s["attempts"] == 1);
  // smartermail_login without a smartermail service on this registry is a failed check, not a crash.
  const json t = smharden::core::run_health_probe({{"smartermail_login", true}, {"attempts", 1}}, methods, cancel);
  CHECK(t["ok"] == false);
}
