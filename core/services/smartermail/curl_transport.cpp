// libcurl (OpenSSL backend) transport for Linux and other non-Windows builds.
#ifndef _WIN32

#include <curl/curl.h>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <mutex>

#include "base/hex.hpp"
#include "services/smartermail/http_transport.hpp"

namespace smharden::services::smartermail {
namespace {

struct pin_state {
  std::string expected;  // normalized hex
  std::string seen;      // hex of the last leaf certificate checked
};

// Replaces chain verification: the leaf certificate must be exactly the pinned one.
int verify_pinned(X509_STORE_CTX* store, void* arg) {
  auto* state = static_cast<pin_state*>(arg);
  X509* leaf = X509_STORE_CTX_get0_cert(store);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (leaf == nullptr || X509_digest(leaf, EVP_sha256(), md, &len) != 1) return 0;
  state->seen = util::hex_encode(std::string_view(reinterpret_cast<const char*>(md), len));
  if (state->seen == state->expected) return 1;
  X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
  return 0;
}

CURLcode install_pin(CURL*, void* ssl_ctx, void* user) {
  SSL_CTX_set_cert_verify_callback(static_cast<SSL_CTX*>(ssl_ctx), &verify_pinned, user);
  return CURLE_OK;
}

// Returning less than was given makes libcurl stop with CURLE_WRITE_ERROR.
size_t collect(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (size * count > max_response_bytes - body->size()) return 0;
  body->append(data, size * count);
  return size * count;
}

transport_failure classify(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return transport_failure::timeout;
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return transport_failure::connect;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
      return transport_failure::tls;
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
      return transport_failure::dropped;
    default:
      return transport_failure::other;
  }
}

class curl_transport final : public http_transport {
 public:
  explicit curl_transport(const transport_options& options) : options_(options) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    if (!options_.pin_sha256.empty()) pin_.expected = normalize_pin(options_.pin_sha256);
    curl_ = curl_easy_init();
    if (curl_ == nullptr) throw transport_error(transport_failure::other, "libcurl: curl_easy_init failed");
  }
  ~curl_transport() override { curl_easy_cleanup(curl_); }

  http_response send(const http_request& request) override {
    CURL* c = curl_;
    curl_easy_reset(c);  // keeps the connection cache: one TLS handshake per run
    http_response response;
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, options_.verify_tls && pin_.expected.empty() ? 2L : 0L);
    if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
    if (!pin_.expected.empty()) {
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
      curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, &install_pin);
      curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, &pin_);
    }
    if (request.method == "POST") {
      curl_easy_setopt(c, CURLOPT_POST, 1L);
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.c_str());
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
    } else {
      curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    }
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) {
      headers = curl_slist_append(headers, (name + ": " + value).c_str());
    }
    headers = curl_slist_append(headers, "Expect:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    pin_.seen.clear();
    const CURLcode code = curl_easy_perform(c);
    curl_slist_free_all(headers);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
    if (code != CURLE_OK) {
      std::string detail = error[0] != '\0' ? error : curl_easy_strerror(code);
      if (code == CURLE_WRITE_ERROR) {
        detail = fmt::format("the answer is larger than {} MiB, more than any SmarterMail answer smharden reads",
                             max_response_bytes >> 20U);
      }
      if (!pin_.expected.empty() && !pin_.seen.empty() && pin_.seen != pin_.expected) {
        detail = fmt::format("the server certificate (SHA-256 {}) does not match pin_sha256", pin_.seen);
      }
      throw transport_error(classify(code), fmt::format("{} {}: {}", request.method, request.url, detail));
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
  }

 private:
  transport_options options_;
  pin_state pin_;
  CURL* curl_ = nullptr;
};

}  // namespace

std::unique_ptr<http_transport> make_native_transport(const transport_options& options) {
  return std::make_unique<curl_transport>(options);
}

}  // namespace smharden::services::smartermail

#endif  // !_WIN32
