// An IIS binding's bindingInformation "IP:port:host" split into its parts
// ("*:443:mail.example.com", "127.0.0.1:9998:", "[::1]:80:"). The host part
// may be empty; the IP part keeps IPv6 brackets. Header-only and JSON-free.
#pragma once

#include <optional>
#include <string_view>

namespace smharden::common {

struct binding_information {
  std::string_view ip;    ///< "*", "127.0.0.1", "[::1]"
  std::string_view port;  ///< digits as written, not checked
  std::string_view host;  ///< "" when the binding names no host
};

/// nullopt when `info` does not have the two colons of "IP:port:host".
inline std::optional<binding_information> split_binding_information(std::string_view info) {
  const auto host_colon = info.rfind(':');
  if (host_colon == std::string_view::npos || host_colon == 0) return std::nullopt;
  const auto port_colon = info.rfind(':', host_colon - 1);
  if (port_colon == std::string_view::npos) return std::nullopt;
  return binding_information{info.substr(0, port_colon), info.substr(port_colon + 1, host_colon - port_colon - 1),
                             info.substr(host_colon + 1)};
}

}  // namespace smharden::common
