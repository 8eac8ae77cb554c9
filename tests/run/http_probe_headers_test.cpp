// net.http.probe returns the answer's headers: what a header plugin checks
// (HSTS present, X-Powered-By gone) without calling the OS itself.
#include <httplib.h>
#include <catch2/catch.hpp>

#include <thread>

#include "services/net/http_response_headers.hpp"
#include "services/net/net_service.hpp"
#include "services/service.hpp"

using json = nlohmann::json;
using smharden::services::net::http_response_headers;

namespace {

/// cpp-httplib on 127.0.0.1, any free port; "/" answers with the headers IIS sends by default plus HSTS.
class header_server {
 public:
  header_server() {
    server_.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_header("X-Powered-By", "ASP.NET");
      res.set_header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
      res.set_header("Set-Cookie", "a=1");
      res.set_header("Set-Cookie", "b=2");
      res.set_content("hi", "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~header_server() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace

TEST_CASE("net.http.probe returns the answer's headers with lower-case names", "[net][headers]") {
  header_server server;
  smharden::services::service_env env;
  smharden::services::target t;
  const auto net = smharden::services::make_net_service(t, env);
  smharden::services::registry methods;
  net->register_methods(methods);
  const json r = methods.find("net.http.probe")->invoke({{"url", server.url()}});
  INFO(r.dump(2));
  REQUIRE(r["ok"] == true);
  CHECK(r["headers"]["x-powered-by"] == "ASP.NET");
  CHECK(r["headers"]["strict-transport-security"] == "max-age=31536000; includeSubDomains");
  CHECK(r["headers"]["set-cookie"] == "a=1, b=2");
  CHECK(r["headers"]["content-type"] == "text/plain");
  CHECK_FALSE(r.contains("headers_truncated"));
}

TEST_CASE("response headers: only the final answer's, trimmed, bounded", "[net][headers]") {
  http_response_headers h;
  h.add_line("HTTP/1.1 100 Continue\r\n");
  h.add_line("X-Interim: yes\r\n");
  h.add_line("\r\n");
  h.add_line("HTTP/1.1 200 OK\r\n");
  h.add_line("Server:   Microsoft-IIS/10.0  \r\n");
  h.add_line("not a header line\r\n");
  h.add_line(": no name\r\n");
  h.add_line("X-Empty:\r\n");
  CHECK(h.values() == std::map<std::string, std::string>{{"server", "Microsoft-IIS/10.0"}, {"x-empty", ""}});
  CHECK_FALSE(h.truncated());

  http_response_headers many;
  for (std::size_t i = 0; i < http_response_headers::max_headers + 5; ++i) {
    many.add_line("X-H" + std::to_string(i) + ": v");
  }
  CHECK(many.values().size() == http_response_headers::max_headers);
  CHECK(many.truncated());

  http_response_headers big;
  const std::string long_value(http_response_headers::max_bytes, 'x');
  big.add_line("X-Small: 1");
  big.add_line("X-Big: " + long_value);
  CHECK(big.values().count("x-big") == 0);
  CHECK(big.values().at("x-small") == "1");
  CHECK(big.truncated());
}
