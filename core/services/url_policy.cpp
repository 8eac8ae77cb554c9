#include "services/url_policy.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstring>
#include <memory>
#include <mutex>
#include <string_view>

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h>
// after winsock2.h, which it needs
#include <windows.h>
#include <winhttp.h>
#else
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif

#include "base/ascii_lower.hpp"

namespace smharden::services {
namespace {

std::string unbracket(std::string host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return host;
}

#ifdef _WIN32

std::wstring widen(const std::string& s) {
  if (s.empty()) return {};
  const int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s.data(), static_cast<int>(s.size()), nullptr, 0);
  if (n <= 0) throw url_refused("the URL is not valid UTF-8");
  std::wstring out(static_cast<std::size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, s.data(), static_cast<int>(s.size()), out.data(), n);
  return out;
}

std::string narrow(const wchar_t* text, DWORD length) {
  if (text == nullptr || length == 0) return {};
  const int n = WideCharToMultiByte(CP_UTF8, 0, text, static_cast<int>(length), nullptr, 0, nullptr, nullptr);
  std::string out(static_cast<std::size_t>(n), '\0');
  WideCharToMultiByte(CP_UTF8, 0, text, static_cast<int>(length), out.data(), n, nullptr, nullptr);
  return out;
}

url_parts parse_native(const std::string& url) {
  const std::wstring wide = widen(url);
  URL_COMPONENTS c{};
  c.dwStructSize = sizeof(c);
  c.dwSchemeLength = c.dwHostNameLength = c.dwUserNameLength = c.dwPasswordLength = c.dwUrlPathLength =
      c.dwExtraInfoLength = static_cast<DWORD>(-1);
  if (!WinHttpCrackUrl(wide.c_str(), 0, 0, &c)) throw url_refused("not a URL (expected https://host[:port]/...)");
  url_parts p;
  p.scheme = util::ascii_lower(narrow(c.lpszScheme, c.dwSchemeLength));
  p.host = unbracket(narrow(c.lpszHostName, c.dwHostNameLength));
  p.port = c.nPort;
  // An '@' in the authority is user information even when it is empty.
  const auto start = url.find("://");
  const std::string authority =
      start == std::string::npos ? "" : url.substr(start + 3, url.find_first_of("/?#", start + 3) - start - 3);
  p.has_credentials = c.dwUserNameLength > 0 || c.dwPasswordLength > 0 || authority.find('@') != std::string::npos;
  const auto at = authority.rfind('@');
  const std::string host_port = authority.substr(at == std::string::npos ? 0 : at + 1);
  // Some WinHTTP implementations return "[" for an IPv6 literal: take it from the authority.
  if (!host_port.empty() && host_port.front() == '[' && host_port.find(']') != std::string::npos) {
    p.host = host_port.substr(1, host_port.find(']') - 1);
  }
  p.without_credentials = fmt::format("{}://{}{}{}", p.scheme, host_port, narrow(c.lpszUrlPath, c.dwUrlPathLength),
                                      narrow(c.lpszExtraInfo, c.dwExtraInfoLength));
  return p;
}

void network_init_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    WSADATA data;
    WSAStartup(MAKEWORD(2, 2), &data);
  });
}

#else

struct curlu_deleter {
  void operator()(CURLU* h) const noexcept { curl_url_cleanup(h); }
};

std::string part(CURLU* h, CURLUPart which, bool* present = nullptr) {
  char* text = nullptr;
  const CURLUcode rc = curl_url_get(h, which, &text, 0);
  if (present != nullptr) *present = rc == CURLUE_OK && text != nullptr;
  std::string out = rc == CURLUE_OK && text != nullptr ? text : "";
  curl_free(text);
  return out;
}

url_parts parse_native(const std::string& url) {
  std::unique_ptr<CURLU, curlu_deleter> h(curl_url());
  if (!h) throw url_refused("libcurl could not allocate a URL handle");
  const CURLUcode rc = curl_url_set(h.get(), CURLUPART_URL, url.c_str(), 0);
  if (rc != CURLUE_OK) {
    throw url_refused(
        fmt::format("not a URL libcurl accepts ({}); expected https://host[:port]/...", curl_url_strerror(rc)));
  }
  url_parts p;
  p.scheme = util::ascii_lower(part(h.get(), CURLUPART_SCHEME));
  p.host = unbracket(part(h.get(), CURLUPART_HOST));
  char* port = nullptr;
  if (curl_url_get(h.get(), CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK && port != nullptr) {
    const std::string_view text(port);
    std::from_chars(text.data(), text.data() + text.size(), p.port);
  }
  curl_free(port);
  bool user = false, password = false, options = false;
  part(h.get(), CURLUPART_USER, &user);
  part(h.get(), CURLUPART_PASSWORD, &password);
  part(h.get(), CURLUPART_OPTIONS, &options);
  p.has_credentials = user || password || options;
  curl_url_set(h.get(), CURLUPART_USER, nullptr, 0);
  curl_url_set(h.get(), CURLUPART_PASSWORD, nullptr, 0);
  curl_url_set(h.get(), CURLUPART_OPTIONS, nullptr, 0);
  p.without_credentials = part(h.get(), CURLUPART_URL);
  return p;
}

void network_init_once() {}

#endif

bool is_loopback_address(const sockaddr* a) {
  if (a->sa_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(a);
    return (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
  }
  if (a->sa_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(a);
    return std::memcmp(&v6->sin6_addr, &in6addr_loopback, sizeof(in6_addr)) == 0;
  }
  return false;
}

}  // namespace

url_parts parse_url(const std::string& url) {
  if (url.empty()) throw url_refused("empty; expected https://host[:port]/...");
  url_parts p = parse_native(url);
  if (p.scheme != "http" && p.scheme != "https") {
    throw url_refused(fmt::format("scheme \"{}\" is not http or https", p.scheme));
  }
  if (p.host.empty()) throw url_refused("the URL names no host");
  return p;
}

bool is_loopback_literal(const std::string& host) {
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return std::memcmp(&v6, &in6addr_loopback, sizeof(v6)) == 0;
  return false;
}

bool is_loopback_host(const std::string& host) {
  if (is_loopback_literal(host)) return true;
  if (util::ascii_lower(host) != "localhost") return false;
  network_init_once();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) return false;
  bool all = true;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) all = all && is_loopback_address(a->ai_addr);
  freeaddrinfo(found);
  return all;
}

url_parts check_url(const std::string& url) {
  url_parts p = parse_url(url);
  if (p.has_credentials) {
    throw url_refused(
        fmt::format("the URL holds a user name or password ({} without them); credentials never go into a URL: remove "
                    "them and supply the password as a secret",
                    p.without_credentials));
  }
  if (p.scheme == "http" && !is_loopback_host(p.host)) {
    throw url_refused(
        fmt::format("plain http:// to \"{}\" would travel in clear text; use https://, or http:// only "
                    "to 127.0.0.1, [::1] or localhost",
                    p.host));
  }
  return p;
}

}  // namespace smharden::services
