#include <curl/curl.h>
#include <fmt/format.h>

#include <mutex>
#include <stdexcept>

#include "services/net/http_probe.hpp"
#include "services/url_policy.hpp"

namespace smharden::services::net {
namespace {

std::size_t discard_body(char* /*data*/, std::size_t size, std::size_t count, void* /*user*/) { return size * count; }

std::size_t collect_header(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<http_response_headers*>(user)->add_line(std::string_view(data, size * count));
  return size * count;
}

void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

http_probe_result http_get_status(const http_probe_request& request) {
  check_url(request.url);  // url_refused is a std::invalid_argument
  global_init_once();
  http_probe_result r;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    r.error = "libcurl could not start a transfer";
    return r;
  }
  char error_text[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &discard_body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &collect_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &r.headers);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "smharden-health-probe/" SMHARDEN_VERSION);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, request.verify_tls ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, request.verify_tls ? 2L : 0L);
  if (!request.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, request.ca_file.c_str());
  const CURLcode rc = curl_easy_perform(curl);
  double seconds = 0;
  curl_easy_getinfo(curl, CURLINFO_TOTAL_TIME, &seconds);
  r.elapsed_ms = static_cast<std::int64_t>(seconds * 1000.0);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
    r.answered = r.status != 0;
    if (!r.answered) r.error = "no HTTP status in the answer";
  } else {
    r.error = error_text[0] != '\0' ? error_text : curl_easy_strerror(rc);
  }
  curl_easy_cleanup(curl);
  return r;
}

}  // namespace smharden::services::net
