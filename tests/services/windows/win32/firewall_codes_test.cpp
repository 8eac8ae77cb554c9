// The numbers and HRESULTs of the Windows Firewall COM API (INetFwRule,
// INetFwPolicy2) as the Win32 firewall backend maps them.
#include <catch2/catch.hpp>

#include "services/windows/win32/firewall_codes.hpp"

using namespace smharden::services::windows::win32;

TEST_CASE("directions, actions and protocols round-trip, unknown values stay visible", "[win32][firewall]") {
  for (const char* d : {"in", "out"}) CHECK(direction_name(*direction_code(d)) == d);
  for (const char* a : {"allow", "block"}) CHECK(action_name(*action_code(a)) == a);
  for (const char* p : {"tcp", "udp", "any"}) CHECK(protocol_name(*protocol_code(p)) == p);
  CHECK(direction_code("in") == 1L);  // NET_FW_RULE_DIR_IN
  CHECK(action_code("allow") == 1L);  // NET_FW_ACTION_ALLOW
  CHECK(protocol_code("tcp") == 6L);
  CHECK(protocol_code("any") == 256L);  // NET_FW_IP_PROTOCOL_ANY
  CHECK_FALSE(direction_name(3));
  CHECK_FALSE(action_name(2));
  CHECK(protocol_name(1) == "ip-1");  // ICMP: never a TCP rule
  CHECK_FALSE(protocol_code("icmp"));
  CHECK(any_if_empty("") == "*");
  CHECK(any_if_empty("80") == "80");
}

TEST_CASE("firewall HRESULTs map to service error codes an operator can act on", "[win32][firewall]") {
  const auto denied = describe_firewall_hresult("INetFwRules::Add", 0x80070005U);
  CHECK(denied.code == "refused");
  CHECK(denied.message.find("elevated") != std::string::npos);
  CHECK(describe_firewall_hresult("x", 0x80040154U).code == "unavailable");  // no HNetCfg.FwPolicy2 (Wine)
  CHECK(describe_firewall_hresult("x", 0x800706D9U).message.find("mpssvc") != std::string::npos);
  CHECK(describe_firewall_hresult("INetFwRules::get__NewEnum", 0x80004001U).code == "unavailable");  // Wine 8
  const auto other = describe_firewall_hresult("INetFwPolicy2::get_Rules", 0x80004005U);
  CHECK(other.code == "failed");
  CHECK(other.message == "INetFwPolicy2::get_Rules failed (HRESULT 0x80004005)");
}
