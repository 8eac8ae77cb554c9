// The numbers INetFwRule speaks (NET_FW_RULE_DIRECTION, NET_FW_ACTION, IP
// protocol numbers, HRESULTs) and smharden's words for them. Pure data (no OS
// calls), so the mapping behind the COM backend is unit-tested on Linux too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace smharden::services::windows::win32 {

namespace fw_code {
inline constexpr long dir_in = 1;        // NET_FW_RULE_DIR_IN
inline constexpr long dir_out = 2;       // NET_FW_RULE_DIR_OUT
inline constexpr long action_block = 0;  // NET_FW_ACTION_BLOCK
inline constexpr long action_allow = 1;  // NET_FW_ACTION_ALLOW
inline constexpr long proto_tcp = 6;     // NET_FW_IP_PROTOCOL_TCP
inline constexpr long proto_udp = 17;    // NET_FW_IP_PROTOCOL_UDP
inline constexpr long proto_any = 256;   // NET_FW_IP_PROTOCOL_ANY
}  // namespace fw_code

/// "in" | "out"; nullopt for a value INetFwRule does not define.
std::optional<std::string> direction_name(long direction);
std::optional<long> direction_code(const std::string& name);
std::optional<std::string> action_name(long action);
std::optional<long> action_code(const std::string& name);
/// "tcp" | "udp" | "any", or "ip-<n>" for another IP protocol (which never decides inbound TCP).
std::string protocol_name(long protocol);
std::optional<long> protocol_code(const std::string& name);
/// INetFwRule::LocalPorts / RemoteAddresses as read: an empty or null BSTR means "*".
std::string any_if_empty(const std::string& value);

/// The service_error code and sentence for a failed HRESULT of the firewall COM API
/// (E_ACCESSDENIED 0x80070005 is "refused": run elevated).
struct hresult_meaning {
  std::string code;
  std::string message;
};
hresult_meaning describe_firewall_hresult(const std::string& api, std::uint32_t hr);

}  // namespace smharden::services::windows::win32
