#include "iis_address.hpp"

namespace smharden::iis_ip {

std::optional<common::ip_range> from_iis(std::string_view ip_address, std::string_view subnet_mask) {
  if (ip_address.find_first_of("/-") != std::string_view::npos) return std::nullopt;
  if (subnet_mask.empty()) return common::parse_ip_network(ip_address);
  return common::parse_ip_range(std::string(ip_address) + "/" + std::string(subnet_mask));
}

std::string iis_mask(const common::ip_range& network) {
  const unsigned prefix = common::prefix_length(network).value_or(network.is_v6() ? 128U : 32U);
  if (network.is_v6()) return std::to_string(prefix);
  return common::address_text(network.family, common::prefix_mask(network.family, prefix));
}

std::string iis_address(const common::ip_range& network) { return common::address_text(network.family, network.first); }

}  // namespace smharden::iis_ip
