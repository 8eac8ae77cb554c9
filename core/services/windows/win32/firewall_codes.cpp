#include "services/windows/win32/firewall_codes.hpp"

#include <fmt/format.h>

namespace smharden::services::windows::win32 {

std::optional<std::string> direction_name(long direction) {
  if (direction == fw_code::dir_in) return "in";
  if (direction == fw_code::dir_out) return "out";
  return std::nullopt;
}

std::optional<long> direction_code(const std::string& name) {
  if (name == "in") return fw_code::dir_in;
  if (name == "out") return fw_code::dir_out;
  return std::nullopt;
}

std::optional<std::string> action_name(long action) {
  if (action == fw_code::action_allow) return "allow";
  if (action == fw_code::action_block) return "block";
  return std::nullopt;
}

std::optional<long> action_code(const std::string& name) {
  if (name == "allow") return fw_code::action_allow;
  if (name == "block") return fw_code::action_block;
  return std::nullopt;
}

std::string protocol_name(long protocol) {
  if (protocol == fw_code::proto_tcp) return "tcp";
  if (protocol == fw_code::proto_udp) return "udp";
  if (protocol == fw_code::proto_any) return "any";
  return fmt::format("ip-{}", protocol);
}

std::optional<long> protocol_code(const std::string& name) {
  if (name == "tcp") return fw_code::proto_tcp;
  if (name == "udp") return fw_code::proto_udp;
  if (name == "any") return fw_code::proto_any;
  return std::nullopt;
}

std::string any_if_empty(const std::string& value) { return value.empty() ? "*" : value; }

hresult_meaning describe_firewall_hresult(const std::string& api, std::uint32_t hr) {
  switch (hr) {
    case 0x80070005U:  // E_ACCESSDENIED
      return {"refused",
              fmt::format("{}: access denied (0x{:08X}); run smharden elevated (as an administrator)", api, hr)};
    case 0x80070002U:  // HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND): INetFwRules::Item of a missing name
      return {"not_found", fmt::format("{}: no such firewall rule (0x{:08X})", api, hr)};
    case 0x800706D9U:  // HRESULT_FROM_WIN32(EPT_S_NOT_REGISTERED): the firewall service (mpssvc) is not running
      return {"unavailable",
              fmt::format("{}: the Windows Firewall service (mpssvc) is not running (0x{:08X}); start it "
                          "with `sc start mpssvc`",
                          api, hr)};
    case 0x80040154U:  // REGDB_E_CLASSNOTREG: no HNetCfg.FwPolicy2 (e.g. under Wine)
      return {"unavailable", fmt::format("{}: the Windows Firewall COM class HNetCfg.FwPolicy2 is not registered "
                                         "(0x{:08X}); this system has no Windows Firewall API",
                                         api, hr)};
    case 0x80004001U:  // E_NOTIMPL: Wine 8's hnetcfg.dll for INetFwRules::get__NewEnum and Item
      return {"unavailable", fmt::format("{}: not implemented by this system's Windows Firewall API (0x{:08X}; Wine "
                                         "has no working INetFwRules)",
                                         api, hr)};
    default:
      return {"failed", fmt::format("{} failed (HRESULT 0x{:08X})", api, hr)};
  }
}

}  // namespace smharden::services::windows::win32
