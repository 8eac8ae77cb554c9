// One HTTP GET whose answer is its status code and its headers: the health
// probe's "does webmail still answer?", and what a header plugin verifies
// (HSTS, no X-Powered-By). libcurl on Linux, WinHTTP on Windows.
// Redirects are not followed (a 302 to the login page is an answer) and
// proxies from the environment are ignored (the probe runs on the server).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "services/net/http_response_headers.hpp"

namespace smharden::services::net {

struct http_probe_request {
  std::string url;  ///< http:// or https://
  std::chrono::milliseconds timeout{5000};
  bool verify_tls = true;
  std::string ca_file;  ///< PEM to trust instead of the system store (libcurl only)
};

struct http_probe_result {
  bool answered = false;  ///< an HTTP status arrived
  long status = 0;
  std::string error;  ///< why nothing arrived
  std::int64_t elapsed_ms = 0;
  http_response_headers headers;  ///< of the final answer
};

/// Never throws for network failures (they are a result); throws
/// std::invalid_argument for a URL that is not http(s).
http_probe_result http_get_status(const http_probe_request& request);

}  // namespace smharden::services::net
