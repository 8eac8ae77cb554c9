// Windows Firewall rule semantics: port and address lists, block wins over
// allow, disabled/outbound/udp rules decide nothing, range arithmetic.
#include <catch2/catch.hpp>
#include <smharden/common/firewall_rules.hpp>

using namespace smharden::common;

namespace {

firewall_rule rule(std::string name, std::string action, std::string ports, std::string remote) {
  firewall_rule r;
  r.name = std::move(name);
  r.action = std::move(action);
  r.local_ports = std::move(ports);
  r.remote_addresses = std::move(remote);
  return r;
}

bool reaches(const std::vector<firewall_rule>& rules, std::uint16_t port, const char* address) {
  return covered_by(*parse_ip_range(address), inbound_tcp_reachable(rules, port).ranges);
}

}  // namespace

TEST_CASE("port lists: star, ports, ranges, anything else is refused", "[common][firewall]") {
  const auto p = parse_port_list("80,443,9990-9999");
  REQUIRE(p);
  CHECK(port_in(*p, 80));
  CHECK(port_in(*p, 9998));
  CHECK_FALSE(port_in(*p, 8080));
  CHECK(port_in(*parse_port_list("*"), 1));
  for (const char* bad : {"", "0", "65536", "80,", "90-80", "08", "http", "80 ,443"}) {
    INFO(bad);
    CHECK_FALSE(parse_port_list(bad));
  }
}

TEST_CASE("remote addresses: star, CIDRs, ranges, LocalSubnet", "[common][firewall]") {
  const auto any = parse_remote_addresses("*");
  REQUIRE(any);
  CHECK(any->ranges.size() == 2);
  const auto mixed = parse_remote_addresses("10.0.0.1-10.0.0.9,203.0.113.0/24,LocalSubnet,::1");
  REQUIRE(mixed);
  CHECK(mixed->local_subnet);
  CHECK(mixed->ranges.size() == 3);
  CHECK_FALSE(parse_remote_addresses("10.0.0.300"));
  CHECK_FALSE(parse_remote_addresses(""));
}

TEST_CASE("a port is reachable through an allow rule unless a block rule matches", "[common][firewall]") {
  std::vector<firewall_rule> rules = {rule("web", "allow", "80,443,9998", "*")};
  CHECK(reaches(rules, 9998, "198.51.100.7"));
  CHECK_FALSE(reaches(rules, 8080, "198.51.100.7"));  // inbound default block
  rules.push_back(rule("cut", "block", "9998", "0.0.0.0-203.0.112.255,203.0.114.0-255.255.255.255"));
  CHECK(reaches(rules, 9998, "203.0.113.5"));
  CHECK_FALSE(reaches(rules, 9998, "198.51.100.7"));
  CHECK(reaches(rules, 80, "198.51.100.7"));   // the block names 9998 only
  CHECK(reaches(rules, 9998, "2001:db8::1"));  // and IPv4 only
}

TEST_CASE("disabled, outbound and UDP rules decide nothing for inbound TCP", "[common][firewall]") {
  auto off = rule("off", "allow", "9998", "*");
  off.enabled = false;
  auto out = rule("out", "allow", "9998", "*");
  out.direction = "out";
  auto udp = rule("udp", "allow", "9998", "*");
  udp.protocol = "udp";
  CHECK(inbound_tcp_reachable({off, out, udp}, 9998).ranges.empty());
  auto any_proto = rule("any", "allow", "9998", "*");
  any_proto.protocol = "any";
  CHECK(reaches({any_proto}, 9998, "192.0.2.1"));
}

TEST_CASE("LocalSubnet makes the answer uncertain", "[common][firewall]") {
  CHECK(inbound_tcp_reachable({rule("ls", "allow", "9998", "LocalSubnet")}, 9998).uncertain);
  CHECK_FALSE(inbound_tcp_reachable({rule("ls", "allow", "80", "LocalSubnet")}, 9998).uncertain);
}

TEST_CASE("a malformed rule is named by rule_problem and skipped", "[common][firewall]") {
  const auto bad = rule("bad", "allow", "99999", "*");
  CHECK(rule_problem(bad).find("local_ports \"99999\"") != std::string::npos);
  CHECK(rule_problem(rule("x", "deny", "80", "*")).find("action \"deny\"") != std::string::npos);
  CHECK(rule_problem(rule("", "allow", "80", "*")) == "a rule needs a name");
  CHECK(inbound_tcp_reachable({bad}, 9998).ranges.empty());
}

TEST_CASE("complement and subtraction are exact at the edges", "[common][firewall]") {
  const auto keep =
      std::vector<ip_range>{*parse_ip_range("127.0.0.1"), *parse_ip_range("::1"), *parse_ip_range("203.0.113.0/24")};
  const auto rest = complement_ranges(keep);
  CHECK(join_ranges(rest) ==
        "0.0.0.0-127.0.0.0,127.0.0.2-203.0.112.255,203.0.114.0-255.255.255.255,::,::2-ffff:ffff:ffff:ffff:ffff:ffff:"
        "ffff:ffff");
  CHECK(complement_ranges(complement_ranges(keep)) == normalize_ranges(keep));
  CHECK(complement_ranges({*parse_ip_range("0.0.0.0/0"), *parse_ip_range("::/0")}).empty());
  CHECK(join_ranges(normalize_ranges({*parse_ip_range("10.0.0.0/25"), *parse_ip_range("10.0.0.128/25")})) ==
        "10.0.0.0/24");
  CHECK(join_ranges(subtract_ranges({*parse_ip_range("10.0.0.0/24")}, {*parse_ip_range("10.0.0.0-10.0.0.9")})) ==
        "10.0.0.10-10.0.0.255");
}
