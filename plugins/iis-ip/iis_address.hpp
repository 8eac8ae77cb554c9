// IIS ipSecurity's form of a network (ipAddress plus subnetMask) over the
// common library's IP range type.
#pragma once

#include <smharden/common/ip_range.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace smharden::iis_ip {

/// ipAddress plus subnetMask ("255.255.0.0", a prefix length "64", an IPv6
/// mask, or empty for a single address); nullopt when it is not one network.
std::optional<common::ip_range> from_iis(std::string_view ip_address, std::string_view subnet_mask);

/// The subnetMask of a network: dotted for IPv4, the prefix length for IPv6.
/// `network` must be one CIDR block (parse_ip_network's result).
std::string iis_mask(const common::ip_range& network);

/// The ipAddress of a network: its first address.
std::string iis_address(const common::ip_range& network);

}  // namespace smharden::iis_ip
