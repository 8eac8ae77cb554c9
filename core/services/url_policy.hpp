// The one place where smharden decides whether it may talk to a URL: the
// SmarterMail API base URL of a target, the health probe's webmail URL and
// net.http.probe. The URL is parsed by libcurl's URL API (curl_url; WinHTTP's
// WinHttpCrackUrl on Windows, which has no libcurl), never by string prefixes.
// Rules: http or https only; no user name or password inside the URL (secrets
// come from the secret store); plain http only to a loopback IP literal
// (127.0.0.0/8, ::1) or to `localhost` when every address it resolves to is
// loopback.
#pragma once

#include <stdexcept>
#include <string>

namespace smharden::services {

struct url_parts {
  std::string scheme;  ///< lower case: "http" or "https"
  std::string host;    ///< as parsed; IPv6 literals without brackets
  int port = 0;        ///< the URL's port, or the scheme's default (80, 443)
  bool has_credentials = false;
  std::string without_credentials;  ///< the URL with any user:password@ removed, safe to print
};

/// Why a URL is refused; the message never contains the URL's credentials.
class url_refused : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// Parses `url` (absolute, http or https). Throws url_refused when it is not such a URL.
url_parts parse_url(const std::string& url);

/// True for an IPv4 literal in 127.0.0.0/8 or the IPv6 literal ::1.
bool is_loopback_literal(const std::string& host);

/// True when `host` is a loopback literal, or is "localhost" and resolves
/// only to loopback addresses (at least one).
bool is_loopback_host(const std::string& host);

/// Applies every rule above. Returns the parsed URL; throws url_refused with
/// the reason and the fix.
url_parts check_url(const std::string& url);

}  // namespace smharden::services
