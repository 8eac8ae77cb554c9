#include <catch2/catch.hpp>

#include "profile/network_address.hpp"

using smharden::core::parse_ip_network;

TEST_CASE("IPv4 addresses and blocks", "[cidr]") {
  auto a = parse_ip_network("203.0.113.7");
  REQUIRE(a);
  CHECK_FALSE(a->is_v6);
  CHECK(a->prefix == 32);
  CHECK(a->bytes[0] == 203);
  CHECK(a->bytes[3] == 7);
  CHECK(parse_ip_network("0.0.0.0/0")->prefix == 0);
  CHECK(parse_ip_network("10.0.0.0/8")->prefix == 8);
  for (const char* bad : {"256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4/", "1.2.3.4/33", "1.2.3.4/-1",
                          "1.2.3.4/08", "a.b.c.d", "1..2.3", " 1.2.3.4", "1.2.3.4 ", ""}) {
    INFO(bad);
    CHECK_FALSE(parse_ip_network(bad));
  }
}

TEST_CASE("IPv6 addresses and blocks", "[cidr]") {
  auto a = parse_ip_network("2001:db8::1");
  REQUIRE(a);
  CHECK(a->is_v6);
  CHECK(a->prefix == 128);
  CHECK(a->bytes[0] == 0x20);
  CHECK(a->bytes[1] == 0x01);
  CHECK(a->bytes[15] == 1);
  CHECK(parse_ip_network("::")->prefix == 128);
  CHECK(parse_ip_network("::1"));
  CHECK(parse_ip_network("fe80::/10")->prefix == 10);
  CHECK(parse_ip_network("1:2:3:4:5:6:7:8"));
  auto mapped = parse_ip_network("::ffff:192.0.2.1");
  REQUIRE(mapped);
  CHECK(mapped->bytes[10] == 0xff);
  CHECK(mapped->bytes[12] == 192);
  for (const char* bad : {"1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "fe80::1%eth0", "::/129", "g::1",
                          "1:2:3:4:5:6:7::8", ":1:2:3:4:5:6:7", "::1.2.3"}) {
    INFO(bad);
    CHECK_FALSE(parse_ip_network(bad));
  }
}

TEST_CASE("network containment", "[cidr]") {
  auto net = *parse_ip_network("10.20.0.0/16");
  CHECK(net.contains(*parse_ip_network("10.20.3.4")));
  CHECK(net.contains(*parse_ip_network("10.20.128.0/17")));
  CHECK_FALSE(net.contains(*parse_ip_network("10.21.0.1")));
  CHECK_FALSE(net.contains(*parse_ip_network("10.0.0.0/8")));
  CHECK_FALSE(net.contains(*parse_ip_network("::ffff:10.20.3.4")));
  CHECK(parse_ip_network("2001:db8::/32")->contains(*parse_ip_network("2001:db8:ffff::1")));
  CHECK(parse_ip_network("0.0.0.0/0")->contains(*parse_ip_network("192.0.2.1")));
}
