// Every URL smharden talks to passes one check (services/url_policy): parsed
// by libcurl's URL API, no credentials inside, plain http only to loopback.
#include <catch2/catch.hpp>
#include <string>

#include "services/url_policy.hpp"

using smharden::services::check_url;
using smharden::services::is_loopback_host;
using smharden::services::is_loopback_literal;
using smharden::services::parse_url;
using smharden::services::url_refused;

TEST_CASE("url policy: a user name and password in the URL are refused, and the message does not repeat them") {
  for (const std::string url :
       {"http://localhost:1@198.51.100.7:18080/", "https://admin:Hunter2-secret@mail.example.com/",
        "https://admin@mail.example.com/", "http://user:pw@127.0.0.1:9998/", "https://@mail.example.com/"}) {
    INFO(url);
    try {
      check_url(url);
      FAIL("accepted");
    } catch (const url_refused& e) {
      const std::string what = e.what();
      CHECK_THAT(what, Catch::Contains("user name or password"));
      CHECK_THAT(what, !Catch::Contains("Hunter2") && !Catch::Contains(":pw@") && !Catch::Contains("localhost:1@"));
    }
  }
  CHECK(parse_url("http://localhost:1@198.51.100.7:18080/").host == "198.51.100.7");
  CHECK(parse_url("https://admin:Hunter2-secret@mail.example.com/x").without_credentials ==
        "https://mail.example.com/x");
}

TEST_CASE("url policy: plain http only to a loopback literal or localhost") {
  for (const std::string url : {"http://127.0.0.1:9998", "http://127.0.0.1:9998/api", "http://127.1.2.3/",
                                "http://[::1]:9998/", "http://localhost:18080/", "http://LOCALHOST/"}) {
    INFO(url);
    CHECK_NOTHROW(check_url(url));
  }
  for (const std::string url : {"http://127.x.invalid/", "http://198.51.100.7:18080/", "http://127.0.0.1.nip.io/",
                                "http://localhost.example.com/", "http://[::ffff:198.51.100.7]/", "http://10.0.0.1/",
                                "http://mail.example.com/", "http://127.0.0.1@198.51.100.7/"}) {
    INFO(url);
    CHECK_THROWS_AS(check_url(url), url_refused);
  }
  CHECK_NOTHROW(check_url("https://mail.example.com/"));
  CHECK_NOTHROW(check_url("https://198.51.100.7:9443/"));
}

TEST_CASE("url policy: what is not an http(s) URL is refused") {
  for (const std::string url : {"", "ftp://127.0.0.1/", "file:///etc/passwd", "127.0.0.1:9998", "https://",
                                "http://127.0.0.1:99999/", "https://mail example.com/", "gopher://localhost/"}) {
    INFO(url);
    CHECK_THROWS_AS(check_url(url), url_refused);
  }
}

TEST_CASE("url policy: loopback literals are exact") {
  CHECK(is_loopback_literal("127.0.0.1"));
  CHECK(is_loopback_literal("127.255.255.254"));
  CHECK(is_loopback_literal("::1"));
  CHECK_FALSE(is_loopback_literal("127.x.invalid"));
  CHECK_FALSE(is_loopback_literal("128.0.0.1"));
  CHECK_FALSE(is_loopback_literal("localhost"));
  CHECK_FALSE(is_loopback_literal("::2"));
  CHECK(is_loopback_host("localhost"));  // resolves to 127.0.0.1 / ::1 on every sane system
  CHECK_FALSE(is_loopback_host("127.x.invalid"));
}

#include "base/errors.hpp"
#include "run/health_probe.hpp"
#include "services/net/http_probe.hpp"
#include "services/service.hpp"
#include "services/smartermail/smartermail_service.hpp"

TEST_CASE("url policy applies to the SmarterMail URL of a target, naming the file and field") {
  smharden::services::target t;
  t.kind = smharden::services::target_kind::lab;
  t.root = "/labs/customer";
  smharden::services::service_env env;
  const auto refused = [&](const std::string& url, const std::string& text) {
    t.config = {{"smartermail", {{"url", url}}}};
    try {
      smharden::services::make_smartermail_service(t, env);
      FAIL("accepted " + url);
    } catch (const smharden::core::profile_error& e) {
      CHECK_THAT(e.what(), Catch::Contains("/labs/customer/target.json") && Catch::Contains("/smartermail/url") &&
                               Catch::Contains(text));
      CHECK_THAT(e.what(), !Catch::Contains("Hunter2"));
    }
  };
  refused("http://localhost:1@198.51.100.7:18080/", "user name or password");
  refused("https://admin:Hunter2@mail.example.com/", "user name or password");
  refused("http://127.x.invalid/", "clear text");
  refused("http://198.51.100.7:18080/", "clear text");
  t.config = {{"smartermail", {{"url", "http://198.51.100.7/"}, {"allow_plain_http", true}}}};
  CHECK_THROWS_WITH(smharden::services::make_smartermail_service(t, env),
                    Catch::Contains("/smartermail/allow_plain_http"));
}

TEST_CASE("url policy applies to the health probe's webmail URL and to net.http.probe") {
  smharden::services::target t;
  t.root = "/labs/customer";
  for (const std::string url : {"http://localhost:1@198.51.100.7:18080/", "http://127.x.invalid/"}) {
    t.config = {{"health", {{"webmail", {{"url", url}}}}}};
    CHECK_THROWS_WITH(smharden::core::health_config(nlohmann::json::object(), "p.json", t),
                      Catch::Contains("/labs/customer/target.json") && Catch::Contains("/health/webmail/url"));
  }
  smharden::services::net::http_probe_request probe;
  probe.url = "http://localhost:1@198.51.100.7:18080/";
  CHECK_THROWS_AS(smharden::services::net::http_get_status(probe), std::invalid_argument);
  probe.url = "http://127.x.invalid/";
  CHECK_THROWS_AS(smharden::services::net::http_get_status(probe), std::invalid_argument);
}
