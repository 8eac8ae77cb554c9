#include <windows.h>
#include <winhttp.h>

#include <fmt/format.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "services/net/http_probe.hpp"
#include "services/url_policy.hpp"
#include "services/win32_text.hpp"

namespace smharden::services::net {
namespace {

class handle {
 public:
  explicit handle(HINTERNET h) : h_(h) {}
  ~handle() {
    if (h_ != nullptr) WinHttpCloseHandle(h_);
  }
  handle(const handle&) = delete;
  handle& operator=(const handle&) = delete;
  HINTERNET get() const { return h_; }
  explicit operator bool() const { return h_ != nullptr; }

 private:
  HINTERNET h_;
};

std::string last_error(const char* what) { return fmt::format("{} failed (WinHTTP error {})", what, GetLastError()); }

}  // namespace

http_probe_result http_get_status(const http_probe_request& request) {
  const bool https = check_url(request.url).scheme == "https";  // url_refused is a std::invalid_argument
  http_probe_result r;
  const auto started = std::chrono::steady_clock::now();
  const auto finish = [&]() {
    r.elapsed_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    return r;
  };
  std::wstring url = win32::to_wide(request.url, "the probe URL");
  URL_COMPONENTS parts{};
  parts.dwStructSize = sizeof(parts);
  parts.dwHostNameLength = static_cast<DWORD>(-1);
  parts.dwUrlPathLength = static_cast<DWORD>(-1);
  parts.dwExtraInfoLength = static_cast<DWORD>(-1);
  if (!WinHttpCrackUrl(url.c_str(), 0, 0, &parts)) {
    throw std::invalid_argument(fmt::format("\"{}\" is not a URL WinHTTP can parse", request.url));
  }
  const std::wstring host(parts.lpszHostName, parts.dwHostNameLength);
  std::wstring path(parts.lpszUrlPath, parts.dwUrlPathLength);
  if (parts.lpszExtraInfo != nullptr) path.append(parts.lpszExtraInfo, parts.dwExtraInfoLength);
  if (path.empty()) path = L"/";

  handle session(WinHttpOpen(L"smharden-health-probe", WINHTTP_ACCESS_TYPE_NO_PROXY, WINHTTP_NO_PROXY_NAME,
                             WINHTTP_NO_PROXY_BYPASS, 0));
  if (!session) {
    r.error = last_error("WinHttpOpen");
    return finish();
  }
  const int ms = static_cast<int>(request.timeout.count());
  WinHttpSetTimeouts(session.get(), ms, ms, ms, ms);
  handle connection(WinHttpConnect(session.get(), host.c_str(), parts.nPort, 0));
  if (!connection) {
    r.error = last_error("WinHttpConnect");
    return finish();
  }
  handle req(WinHttpOpenRequest(connection.get(), L"GET", path.c_str(), nullptr, WINHTTP_NO_REFERER,
                                WINHTTP_DEFAULT_ACCEPT_TYPES, https ? WINHTTP_FLAG_SECURE : 0));
  if (!req) {
    r.error = last_error("WinHttpOpenRequest");
    return finish();
  }
  DWORD no_redirects = WINHTTP_DISABLE_REDIRECTS;
  WinHttpSetOption(req.get(), WINHTTP_OPTION_DISABLE_FEATURE, &no_redirects, sizeof(no_redirects));
  if (https && !request.verify_tls) {
    DWORD flags = SECURITY_FLAG_IGNORE_UNKNOWN_CA | SECURITY_FLAG_IGNORE_CERT_DATE_INVALID |
                  SECURITY_FLAG_IGNORE_CERT_CN_INVALID | SECURITY_FLAG_IGNORE_CERT_WRONG_USAGE;
    WinHttpSetOption(req.get(), WINHTTP_OPTION_SECURITY_FLAGS, &flags, sizeof(flags));
  }
  if (!WinHttpSendRequest(req.get(), WINHTTP_NO_ADDITIONAL_HEADERS, 0, WINHTTP_NO_REQUEST_DATA, 0, 0, 0) ||
      !WinHttpReceiveResponse(req.get(), nullptr)) {
    r.error = last_error("the request");
    return finish();
  }
  DWORD status = 0;
  DWORD size = sizeof(status);
  if (!WinHttpQueryHeaders(req.get(), WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
                           WINHTTP_HEADER_NAME_BY_INDEX, &status, &size, WINHTTP_NO_HEADER_INDEX)) {
    r.error = last_error("reading the status");
    return finish();
  }
  r.status = static_cast<long>(status);
  r.answered = true;
  DWORD header_bytes = 0;
  WinHttpQueryHeaders(req.get(), WINHTTP_QUERY_RAW_HEADERS_CRLF, WINHTTP_HEADER_NAME_BY_INDEX, WINHTTP_NO_OUTPUT_BUFFER,
                      &header_bytes, WINHTTP_NO_HEADER_INDEX);
  if (header_bytes > 0) {
    std::wstring raw(header_bytes / sizeof(wchar_t), L'\0');
    if (WinHttpQueryHeaders(req.get(), WINHTTP_QUERY_RAW_HEADERS_CRLF, WINHTTP_HEADER_NAME_BY_INDEX, raw.data(),
                            &header_bytes, WINHTTP_NO_HEADER_INDEX)) {
      const std::string text = win32::to_utf8(raw.c_str(), header_bytes / sizeof(wchar_t));
      std::size_t start = 0;
      while (start < text.size()) {
        const auto end = text.find('\n', start);
        r.headers.add_line(
            std::string_view(text).substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) break;
        start = end + 1;
      }
    }
  }
  return finish();
}

}  // namespace smharden::services::net
