// Health probe settings and the HTTP status probe against a local server.
#include <httplib.h>
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "base/errors.hpp"
#include "run/health_probe.hpp"
#include "run/health_targets.hpp"
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
  fails_with({{"webmail", {{"public_url", "mail.example.com"}}}}, "/health/webmail/public_url");
  fails_with({{"audiences", "yes"}}, "/health/audiences");
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

TEST_CASE("health targets: the webmail URL a site publishes, and an address that stands for each audience range",
          "[health][access]") {
  using smharden::core::public_webmail_url;
  using smharden::core::representative_address;
  using smharden::core::server_webmail_url;
  const json fresh = {{{"protocol", "http"}, {"binding_information", "*:9998:"}},
                      {{"protocol", "http"}, {"binding_information", "*:80:mail.example.test"}},
                      {{"protocol", "https"}, {"binding_information", "*:443:mail.example.test"}}};
  CHECK(public_webmail_url(fresh) == "https://mail.example.test/");
  CHECK(server_webmail_url(fresh) == "https://mail.example.test/");
  const json plain = {{{"protocol", "http"}, {"binding_information", "127.0.0.1:9998:"}},
                      {{"protocol", "http"}, {"binding_information", "*:8080:webmail.example.test"}}};
  CHECK(public_webmail_url(plain) == "http://webmail.example.test:8080/");
  CHECK(server_webmail_url(plain) == "http://127.0.0.1:9998/");
  const json none = {{{"protocol", "https"}, {"binding_information", "10.0.0.5:443:"}}};
  CHECK_FALSE(public_webmail_url(none).has_value());
  CHECK_FALSE(server_webmail_url(none).has_value());

  // Everyone: a documentation address outside the other audiences' narrower ranges.
  CHECK(representative_address("0.0.0.0/0", {"0.0.0.0/0", "192.0.2.0/24"}) == "198.51.100.200");
  CHECK(representative_address("::/0", {}) == "2001:db8::200");
  CHECK(representative_address("203.0.113.0/24", {"0.0.0.0/0"}) == "203.0.113.200");
  CHECK(representative_address("10.1.0.0/16", {}) == "10.1.0.1");
  CHECK(representative_address("198.51.100.10", {}) == "198.51.100.10");
  CHECK(representative_address("10.0.0.5-10.0.0.9", {"10.0.0.5"}) == "10.0.0.7");
  CHECK_THROWS_AS(representative_address("office", {}), std::invalid_argument);
}

TEST_CASE("health targets: a derived URL, audiences skipped where only the server probes, no URL is an error",
          "[health][access]") {
  using smharden::core::resolve_health;
  smharden::services::registry methods;
  json bindings = {{{"protocol", "https"}, {"binding_information", "*:443:mail.example.test"}}};
  smharden::services::method find;
  find.name = "iis.site.find";
  find.invoke = [&bindings](const json&) { return json{{"name", "SmarterMail"}, {"bindings", bindings}}; };
  methods.add(find);
  const json audiences = {{"management", {"203.0.113.0/24"}}, {"webmail_users", {"0.0.0.0/0"}}};

  const json resolved = resolve_health({{"webmail", json::object()}}, audiences, methods);
  CHECK(resolved["webmail"]["url"] == "https://mail.example.test/");
  CHECK(resolved["webmail"]["derived"] == true);
  // This target cannot GET it (no net.http.probe here): a guessed URL that fails before the apply does not fail
  // the probe after it, and the report names it.
  CHECK(resolved["webmail"]["before_ok"] == false);
  const std::atomic<bool> no_cancel{false};
  const json after = smharden::core::run_health_probe(resolved, methods, no_cancel);
  CHECK(after["ok"] == true);
  CHECK(after["checks"][0]["ok"] == false);
  CHECK(after["failing_before_apply"] == json({"webmail"}));
  CHECK_THAT(resolved["audiences_skipped"].get<std::string>(), Catch::Contains("only a lab answers"));
  CHECK_FALSE(resolved.contains("audience_checks"));
  // The operator's URL stands; nothing to check per audience without audiences.
  const json given = resolve_health({{"webmail", {{"url", "https://10.0.0.5/"}}}}, json::object(), methods);
  CHECK(given["webmail"]["url"] == "https://10.0.0.5/");
  CHECK_FALSE(given["webmail"].contains("derived"));
  CHECK_FALSE(given.contains("audiences_skipped"));
  const json login_only = resolve_health({{"smartermail_login", true}, {"audiences", false}}, audiences, methods);
  CHECK(login_only["audiences_skipped"] == "the health settings say \"audiences\": false");
  // No SmarterMail here: the sign-in fails before the apply already, so it does not fail the probe after it.
  CHECK(login_only["smartermail_login_before_ok"] == false);
  const json login_after = smharden::core::run_health_probe(login_only, methods, no_cancel);
  CHECK(login_after["ok"] == true);
  CHECK(login_after["failing_before_apply"] == json({"smartermail_login"}));

  bindings = json::array();
  try {
    resolve_health({{"webmail", json::object()}}, audiences, methods);
    FAIL("expected a profile error");
  } catch (const smharden::core::profile_error& e) {
    CHECK_THAT(e.what(), Catch::Contains("/health/webmail/url is not set"));
    CHECK_THAT(e.what(), Catch::Contains("target.json"));
  }
}

TEST_CASE("health settings: \"enabled\": false turns the probe off", "[health]") {
  smharden::services::target t;
  t.config = {{"health", {{"enabled", false}}}};
  CHECK(health_config({{"webmail", json::object()}, {"smartermail_login", true}}, "baseline.json", t).empty());
  CHECK_FALSE(health_config({{"webmail", json::object()}}, "baseline.json", smharden::services::target{}).empty());
}
