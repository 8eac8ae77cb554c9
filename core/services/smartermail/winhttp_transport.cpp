// WinHTTP transport for Windows: the system certificate store and the
// machine's proxy settings apply. A ca_file or pin_sha256 replaces the store
// check with our own, done in the SENDING_REQUEST callback, i.e. after the TLS
// handshake and before any byte of the request (credentials) leaves.
#ifdef _WIN32

#include <windows.h>
// after windows.h, which they need
#include <wincrypt.h>
#include <winhttp.h>

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "base/atomic_file.hpp"  // sha256_hex
#include "services/smartermail/http_transport.hpp"
#include "services/win32_text.hpp"

#ifndef WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY
#define WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY 4
#endif

namespace smharden::services::smartermail {
namespace {

struct winhttp_handle {
  HINTERNET h = nullptr;
  winhttp_handle() = default;
  explicit winhttp_handle(HINTERNET handle) : h(handle) {}
  winhttp_handle(const winhttp_handle&) = delete;
  winhttp_handle& operator=(const winhttp_handle&) = delete;
  ~winhttp_handle() {
    if (h != nullptr) WinHttpCloseHandle(h);
  }
};

/// What the certificate callback needs and what it found.
struct cert_check {
  std::string pin;                    // normalized hex, or empty
  std::vector<PCCERT_CONTEXT> roots;  // from ca_file, or empty
  std::wstring host;
  bool failed = false;
  bool request_closed = false;
  std::string message;
};

bool chain_to_roots(PCCERT_CONTEXT leaf, const cert_check& check) {
  HCERTSTORE roots = CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, nullptr);
  if (roots == nullptr) return false;
  for (PCCERT_CONTEXT root : check.roots) CertAddCertificateContextToStore(roots, root, CERT_STORE_ADD_ALWAYS, nullptr);
  CERT_CHAIN_ENGINE_CONFIG config{};
  config.cbSize = sizeof config;
  config.hExclusiveRoot = roots;
  HCERTCHAINENGINE engine = nullptr;
  bool ok = CertCreateCertificateChainEngine(&config, &engine) != FALSE;
  PCCERT_CHAIN_CONTEXT chain = nullptr;
  if (ok) {
    CERT_CHAIN_PARA para{};
    para.cbSize = sizeof para;
    ok = CertGetCertificateChain(engine, leaf, nullptr, leaf->hCertStore, &para, 0, nullptr, &chain) != FALSE;
  }
  if (ok) {
    SSL_EXTRA_CERT_CHAIN_POLICY_PARA ssl{};
    ssl.cbSize = sizeof ssl;
    ssl.dwAuthType = AUTHTYPE_SERVER;
    ssl.pwszServerName = const_cast<wchar_t*>(check.host.c_str());
    CERT_CHAIN_POLICY_PARA policy{};
    policy.cbSize = sizeof policy;
    policy.pvExtraPolicyPara = &ssl;
    CERT_CHAIN_POLICY_STATUS status{};
    status.cbSize = sizeof status;
    ok = CertVerifyCertificateChainPolicy(CERT_CHAIN_POLICY_SSL, chain, &policy, &status) != FALSE &&
         status.dwError == 0;
  }
  if (chain != nullptr) CertFreeCertificateChain(chain);
  if (engine != nullptr) CertFreeCertificateChainEngine(engine);
  CertCloseStore(roots, 0);
  return ok;
}

void CALLBACK on_status(HINTERNET request, DWORD_PTR context, DWORD status, LPVOID, DWORD) {
  if (status != WINHTTP_CALLBACK_STATUS_SENDING_REQUEST || context == 0) return;
  auto* check = reinterpret_cast<cert_check*>(context);
  PCCERT_CONTEXT cert = nullptr;
  DWORD size = sizeof cert;
  if (!WinHttpQueryOption(request, WINHTTP_OPTION_SERVER_CERT_CONTEXT, &cert, &size) || cert == nullptr) {
    check->failed = true;
    check->message = "could not read the server certificate";
  } else if (!check->pin.empty()) {
    const std::string seen =
        util::sha256_hex(std::string_view(reinterpret_cast<const char*>(cert->pbCertEncoded), cert->cbCertEncoded));
    if (seen != check->pin) {
      check->failed = true;
      check->message = fmt::format("the server certificate (SHA-256 {}) does not match pin_sha256", seen);
    }
  } else if (!chain_to_roots(cert, *check)) {
    check->failed = true;
    check->message = "the server certificate does not chain to ca_file (or does not name this host)";
  }
  if (cert != nullptr) CertFreeCertificateContext(cert);
  if (check->failed) {
    // Abort before the request (and any credential in it) is sent.
    check->request_closed = true;
    WinHttpCloseHandle(request);
  }
}

std::vector<PCCERT_CONTEXT> load_pem_certificates(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw transport_error(transport_failure::tls, fmt::format("cannot read ca_file {}", file));
  std::stringstream text;
  text << in.rdbuf();
  const std::string pem = text.str();
  std::vector<PCCERT_CONTEXT> out;
  const std::string begin = "-----BEGIN CERTIFICATE-----";
  const std::string end = "-----END CERTIFICATE-----";
  for (std::size_t at = pem.find(begin); at != std::string::npos; at = pem.find(begin, at + 1)) {
    const std::size_t stop = pem.find(end, at);
    if (stop == std::string::npos) break;
    const std::string block = pem.substr(at, stop + end.size() - at);
    DWORD der_size = 0;
    if (!CryptStringToBinaryA(block.c_str(), static_cast<DWORD>(block.size()), CRYPT_STRING_BASE64HEADER, nullptr,
                              &der_size, nullptr, nullptr)) {
      continue;
    }
    std::vector<BYTE> der(der_size);
    if (!CryptStringToBinaryA(block.c_str(), static_cast<DWORD>(block.size()), CRYPT_STRING_BASE64HEADER, der.data(),
                              &der_size, nullptr, nullptr)) {
      continue;
    }
    PCCERT_CONTEXT cert = CertCreateCertificateContext(X509_ASN_ENCODING | PKCS_7_ASN_ENCODING, der.data(), der_size);
    if (cert != nullptr) out.push_back(cert);
  }
  if (out.empty())
    throw transport_error(transport_failure::tls, fmt::format("ca_file {} holds no PEM certificate", file));
  return out;
}

transport_failure classify(DWORD error) {
  switch (error) {
    case ERROR_WINHTTP_TIMEOUT:
      return transport_failure::timeout;
    case ERROR_WINHTTP_CANNOT_CONNECT:
    case ERROR_WINHTTP_NAME_NOT_RESOLVED:
      return transport_failure::connect;
    case ERROR_WINHTTP_SECURE_FAILURE:
    case ERROR_WINHTTP_SECURE_CHANNEL_ERROR:
    case ERROR_WINHTTP_SECURE_INVALID_CA:
    case ERROR_WINHTTP_SECURE_CERT_CN_INVALID:
    case ERROR_WINHTTP_SECURE_CERT_DATE_INVALID:
    case ERROR_WINHTTP_SECURE_INVALID_CERT:
      return transport_failure::tls;
    case ERROR_WINHTTP_CONNECTION_ERROR:
    case ERROR_WINHTTP_INVALID_SERVER_RESPONSE:
      return transport_failure::dropped;
    default:
      return transport_failure::other;
  }
}

class winhttp_transport final : public http_transport {
 public:
  explicit winhttp_transport(const transport_options& options) : options_(options) {
    if (!options_.pin_sha256.empty()) pin_ = normalize_pin(options_.pin_sha256);
    if (!options_.ca_file.empty()) roots_ = load_pem_certificates(options_.ca_file);
    session_.h = WinHttpOpen(L"smharden", WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY, WINHTTP_NO_PROXY_NAME,
                             WINHTTP_NO_PROXY_BYPASS, 0);
    if (session_.h == nullptr) {  // before Windows 8.1
      session_.h = WinHttpOpen(L"smharden", WINHTTP_ACCESS_TYPE_DEFAULT_PROXY, WINHTTP_NO_PROXY_NAME,
                               WINHTTP_NO_PROXY_BYPASS, 0);
    }
    if (session_.h == nullptr) fail(transport_failure::other, "WinHttpOpen");
    const int connect_ms = static_cast<int>(options_.connect_timeout.count());
    const int total_ms = static_cast<int>(options_.timeout.count());
    WinHttpSetTimeouts(session_.h, connect_ms, connect_ms, total_ms, total_ms);
  }
  ~winhttp_transport() override {
    for (PCCERT_CONTEXT root : roots_) CertFreeCertificateContext(root);
  }

  http_response send(const http_request& request) override {
    const std::wstring url = win32::to_wide(request.url, "the SmarterMail URL");
    URL_COMPONENTS parts{};
    parts.dwStructSize = sizeof parts;
    parts.dwHostNameLength = static_cast<DWORD>(-1);
    parts.dwUrlPathLength = static_cast<DWORD>(-1);
    parts.dwExtraInfoLength = static_cast<DWORD>(-1);
    if (!WinHttpCrackUrl(url.c_str(), 0, 0, &parts)) fail(transport_failure::other, "WinHttpCrackUrl " + request.url);
    const std::wstring host(parts.lpszHostName, parts.dwHostNameLength);
    std::wstring path(parts.lpszUrlPath, parts.dwUrlPathLength);
    if (parts.lpszExtraInfo != nullptr) path.append(parts.lpszExtraInfo, parts.dwExtraInfoLength);
    const bool secure = parts.nScheme == INTERNET_SCHEME_HTTPS;

    winhttp_handle connection(WinHttpConnect(session_.h, host.c_str(), parts.nPort, 0));
    if (connection.h == nullptr) fail(transport_failure::connect, "WinHttpConnect " + request.url);
    auto req = std::make_unique<winhttp_handle>(WinHttpOpenRequest(
        connection.h, win32::to_wide(request.method, "the HTTP method").c_str(), path.c_str(), nullptr,
        WINHTTP_NO_REFERER, WINHTTP_DEFAULT_ACCEPT_TYPES, secure ? WINHTTP_FLAG_SECURE : 0));
    if (req->h == nullptr) fail(transport_failure::other, "WinHttpOpenRequest " + request.url);

    cert_check check;
    check.pin = pin_;
    check.roots = roots_;
    check.host = host;
    const bool own_check = secure && (!pin_.empty() || !roots_.empty());
    if (secure) {
      DWORD flags = 0;
      if (!options_.verify_tls) {
        flags = SECURITY_FLAG_IGNORE_UNKNOWN_CA | SECURITY_FLAG_IGNORE_CERT_CN_INVALID |
                SECURITY_FLAG_IGNORE_CERT_DATE_INVALID | SECURITY_FLAG_IGNORE_CERT_WRONG_USAGE;
      } else if (own_check) {
        flags = SECURITY_FLAG_IGNORE_UNKNOWN_CA | (pin_.empty() ? 0 : SECURITY_FLAG_IGNORE_CERT_CN_INVALID);
      }
      if (flags != 0) WinHttpSetOption(req->h, WINHTTP_OPTION_SECURITY_FLAGS, &flags, sizeof flags);
    }
    if (own_check && WinHttpSetStatusCallback(req->h, &on_status, WINHTTP_CALLBACK_FLAG_SEND_REQUEST, 0) ==
                         WINHTTP_INVALID_STATUS_CALLBACK) {
      fail(transport_failure::tls, "WinHttpSetStatusCallback");
    }

    std::wstring headers;
    for (const auto& [name, value] : request.headers)
      headers += win32::to_wide(name + ": " + value + "\r\n", "an HTTP header");
    const BOOL sent = WinHttpSendRequest(
        req->h, headers.empty() ? WINHTTP_NO_ADDITIONAL_HEADERS : headers.c_str(), static_cast<DWORD>(-1L),
        request.body.empty() ? WINHTTP_NO_REQUEST_DATA : const_cast<char*>(request.body.data()),
        static_cast<DWORD>(request.body.size()), static_cast<DWORD>(request.body.size()),
        own_check ? reinterpret_cast<DWORD_PTR>(&check) : 0);
    if (check.request_closed) req->h = nullptr;  // closed by the callback
    if (check.failed) throw transport_error(transport_failure::tls, fmt::format("{}: {}", request.url, check.message));
    if (!sent || !WinHttpReceiveResponse(req->h, nullptr)) fail_last(request);

    http_response response;
    DWORD status = 0;
    DWORD size = sizeof status;
    if (!WinHttpQueryHeaders(req->h, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
                             WINHTTP_HEADER_NAME_BY_INDEX, &status, &size, WINHTTP_NO_HEADER_INDEX)) {
      fail_last(request);
    }
    response.status = static_cast<long>(status);
    for (;;) {
      DWORD available = 0;
      if (!WinHttpQueryDataAvailable(req->h, &available)) fail_last(request);
      if (available == 0) break;
      std::string chunk(available, '\0');
      DWORD read = 0;
      if (!WinHttpReadData(req->h, chunk.data(), available, &read)) fail_last(request);
      if (read > max_response_bytes - response.body.size()) {
        throw transport_error(transport_failure::other,
                              fmt::format("{} {}: the answer is larger than {} MiB, more than any SmarterMail answer "
                                          "smharden reads",
                                          request.method, request.url, max_response_bytes >> 20U));
      }
      response.body.append(chunk.data(), read);
    }
    return response;
  }

 private:
  [[noreturn]] static void fail(transport_failure kind, const std::string& what) {
    throw transport_error(kind, fmt::format("{} failed (Win32 error {})", what, GetLastError()));
  }
  [[noreturn]] static void fail_last(const http_request& request) {
    const DWORD error = GetLastError();
    throw transport_error(classify(error), fmt::format("{} {}: WinHTTP error {}", request.method, request.url, error));
  }

  transport_options options_;
  std::string pin_;
  std::vector<PCCERT_CONTEXT> roots_;
  winhttp_handle session_;
};

}  // namespace

std::unique_ptr<http_transport> make_native_transport(const transport_options& options) {
  return std::make_unique<winhttp_transport>(options);
}

}  // namespace smharden::services::smartermail

#endif  // _WIN32
