// A webmail stand-in for the health probe: cpp-httplib answering a fixed
// status on 127.0.0.1, and the profile "health" object that probes it.
#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>

namespace smharden::test {

class fake_webmail {
 public:
  explicit fake_webmail(int status) {
    server_.Get("/", [status](const httplib::Request&, httplib::Response& res) { res.status = status; });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~fake_webmail() {
    server_.stop();
    thread_.join();
  }
  fake_webmail(const fake_webmail&) = delete;
  fake_webmail& operator=(const fake_webmail&) = delete;

  /// Only this server decides the probe: the lab's checks per audience are off.
  nlohmann::json health() const {
    return {{"audiences", false},
            {"webmail",
             {{"url", "http://127.0.0.1:" + std::to_string(port_) + "/"},
              {"expect_status", {200, 302}},
              {"timeout_ms", 3000}}},
            {"attempts", 1}};
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace smharden::test
