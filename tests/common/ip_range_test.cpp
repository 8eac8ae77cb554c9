// The one IP address/range type: every form the profile, the lockout guard,
// the iis-* and the sm-* plugins accept, and what each form means.
#include <catch2/catch.hpp>

#include <smharden/common/ip_range.hpp>

using namespace smharden::common;

namespace {

ip_range r(const char* text) {
  const auto parsed = parse_ip_range(text);
  REQUIRE(parsed);
  return *parsed;
}

std::uint64_t v4(unsigned a, unsigned b, unsigned c, unsigned d) { return (a << 24) | (b << 16) | (c << 8) | d; }

}  // namespace

TEST_CASE("IPv4 addresses and blocks", "[ip]") {
  auto a = parse_ip_network("203.0.113.7");
  REQUIRE(a);
  CHECK_FALSE(a->is_v6());
  CHECK(prefix_length(*a) == 32U);
  CHECK(a->first == ip_value{0, v4(203, 0, 113, 7)});
  CHECK(a->last == a->first);
  CHECK(prefix_length(*parse_ip_network("0.0.0.0/0")) == 0U);
  CHECK(prefix_length(*parse_ip_network("10.0.0.0/8")) == 8U);
  for (const char* bad :
       {"256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.4/", "1.2.3.4/33", "1.2.3.4/-1", "1.2.3.4/08", "a.b.c.d",
        "1..2.3", " 1.2.3.4", "1.2.3.4 ", "", "10.0.0.256", "10.0.0/8", "10.0.0.0/33"}) {
    INFO(bad);
    CHECK_FALSE(parse_ip_network(bad));
    CHECK_FALSE(parse_ip_range(bad));
  }
}

TEST_CASE("IPv6 addresses and blocks", "[ip]") {
  auto a = parse_ip_network("2001:db8::1");
  REQUIRE(a);
  CHECK(a->is_v6());
  CHECK(prefix_length(*a) == 128U);
  CHECK(a->first == ip_value{0x20010db800000000U, 1});
  CHECK(prefix_length(*parse_ip_network("::")) == 128U);
  CHECK(parse_ip_network("::1"));
  CHECK(prefix_length(*parse_ip_network("fe80::/10")) == 10U);
  CHECK(parse_ip_network("1:2:3:4:5:6:7:8"));
  auto mapped = parse_ip_network("::ffff:192.0.2.1");
  REQUIRE(mapped);
  CHECK(mapped->is_v6());
  CHECK(mapped->first == ip_value{0, 0x0000ffffc0000201U});
  for (const char* bad : {"1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "fe80::1%eth0", "::/129", "g::1",
                          "1:2:3:4:5:6:7::8", ":1:2:3:4:5:6:7", "::1.2.3", "2001:db8::/064"}) {
    INFO(bad);
    CHECK_FALSE(parse_ip_network(bad));
    CHECK_FALSE(parse_ip_range(bad));
  }
}

TEST_CASE("host bits of a block are cleared, text comes back in one canonical form", "[ip]") {
  CHECK(to_string(*parse_ip_network("10.1.2.3/8")) == "10.0.0.0/8");
  CHECK(r("192.0.2.77/24").first == r("192.0.2.0").first);
  CHECK(r("0.0.0.0/0").last == ip_value{0, 0xFFFFFFFFU});
  CHECK(to_string(*parse_ip_network("2001:DB8:0:0:1::/64")) == "2001:db8::/64");
  CHECK(to_string(r("::1")) == "::1");
  CHECK(to_string(r("192.0.2.7")) == "192.0.2.7");
  CHECK(to_string(r("10.0.0.1-10.0.0.50")) == "10.0.0.1-10.0.0.50");
  CHECK(to_string(r("10.0.0.0-10.0.0.255")) == "10.0.0.0/24");         // a range that is one block reads as the block
  CHECK(to_string(r("2001:db8:0:0:1:0:0:1")) == "2001:db8::1:0:0:1");  // RFC 5952: the first longest zero run
  CHECK_FALSE(prefix_length(r("10.0.0.1-10.0.0.2")));
  CHECK(address_text(ip_family::v4, prefix_mask(ip_family::v4, 20)) == "255.255.240.0");
  CHECK(address_text(ip_family::v6, prefix_mask(ip_family::v6, 64)) == "ffff:ffff:ffff:ffff::");
}

TEST_CASE("ranges: mask form, a-b ranges, garbage refused", "[ip]") {
  CHECK(parse_ip_range("203.0.113.7"));
  CHECK(parse_ip_range("10.0.0.0/8"));
  CHECK(parse_ip_range("10.0.0.0/255.0.0.0"));
  CHECK(parse_ip_range("10.0.0.1-10.0.0.50"));
  CHECK(parse_ip_range("192.0.2.10-192.0.2.20"));
  CHECK(parse_ip_range("2001:db8::/32"));
  CHECK(parse_ip_range("::1"));
  CHECK_FALSE(parse_ip_range("10.0.0.0/255.0.255.0"));  // not contiguous
  CHECK_FALSE(parse_ip_range("10.0.0.9-10.0.0.1"));     // backwards
  CHECK_FALSE(parse_ip_range("192.0.2.20-192.0.2.10"));
  CHECK_FALSE(parse_ip_range("10.0.0.1-2001:db8::1"));  // mixed families
  CHECK_FALSE(parse_ip_range("10.0.0.0/ffff::"));       // a mask of the other family
  CHECK_FALSE(parse_ip_range("mail.example.com"));
  CHECK_FALSE(parse_ip_range("example.com"));
  CHECK(r("10.1.0.0/255.255.0.0") == r("10.1.0.0/16"));
  CHECK(r("2001:db8::/ffff:ffff::") == r("2001:db8::/32"));
  // The network-only parser (profiles' management_cidrs, IIS entries) takes no mask or a-b form.
  CHECK_FALSE(parse_ip_network("10.0.0.0/255.0.0.0"));
  CHECK_FALSE(parse_ip_network("10.0.0.1-10.0.0.50"));
}

TEST_CASE("containment, overlap and coverage by a union, families never mix", "[ip]") {
  const ip_range net = r("10.20.0.0/16");
  CHECK(contains(net, r("10.20.3.4")));
  CHECK(contains(net, r("10.20.128.0/17")));
  CHECK_FALSE(contains(net, r("10.21.0.1")));
  CHECK_FALSE(contains(net, r("10.0.0.0/8")));
  CHECK_FALSE(contains(net, r("::ffff:10.20.3.4")));
  CHECK(contains(r("2001:db8::/32"), r("2001:db8:ffff::1")));
  CHECK(contains(r("0.0.0.0/0"), r("192.0.2.1")));
  CHECK(contains(r("10.0.0.0/8"), r("10.200.0.0/16")));
  CHECK_FALSE(contains(r("10.200.0.0/16"), r("10.0.0.0/8")));
  CHECK(overlaps(r("10.200.0.0/16"), r("10.0.0.0/8")));
  CHECK_FALSE(overlaps(r("11.0.0.0/8"), r("10.0.0.0/8")));
  CHECK(contains(r("2001:db8::/64"), r("2001:db8::42")));
  CHECK_FALSE(contains(r("2001:db8::/64"), r("10.0.0.1")));
  CHECK_FALSE(overlaps(r("::/0"), r("0.0.0.0/0")));

  CHECK(covered_by(r("192.0.2.5"), {r("192.0.2.0/24")}));
  CHECK(covered_by(r("192.0.2.0/24"), {r("192.0.2.0/25"), r("192.0.2.128/25")}));  // adjacent pieces
  CHECK_FALSE(covered_by(r("192.0.2.0/24"), {r("192.0.2.0/25"), r("192.0.2.129/32")}));
  CHECK_FALSE(covered_by(r("10.0.0.0/8"), {r("10.0.0.0/16")}));
  CHECK_FALSE(covered_by(r("192.0.2.5"), {r("2001:db8::/32")}));
  CHECK(covered_by(r("2001:db8::1"), {r("2001:db8::/32")}));
  CHECK(covered_by(r("10.0.0.1-10.0.0.9"), {r("10.0.0.0-10.0.0.5"), r("10.0.0.6/31"), r("10.0.0.8/29")}));
  CHECK(covered_by(r("::/0"), {r("::/1"), r("8000::/1")}));  // the top of the address space
}

// Where the profile, the guard, iis-ip and sm-* used to read the same text
// differently, this is the one reading they all share now.
TEST_CASE("one reading of the texts the four former parsers disagreed on", "[ip]") {
  // A leading zero is octal to inet_addr (010.0.0.1 = 8.0.0.1): refused, never guessed.
  CHECK_FALSE(parse_ip_range("010.0.0.1"));
  CHECK_FALSE(parse_ip_range("10.0.0.0/08"));
  // Spaces are not trimmed: the same text is valid in a profile and in a guard request, or in neither.
  CHECK_FALSE(parse_ip_range(" 10.0.0.0/8"));
  CHECK_FALSE(parse_ip_range("10.0.0.1 - 10.0.0.9"));
  // An IPv6 address with an IPv4 tail is an IPv6 address everywhere.
  CHECK(parse_ip_network("::ffff:192.0.2.1"));
  CHECK(parse_ip_range("64:ff9b::192.0.2.1/120"));
  // IPv4 sits in the low 32 bits of every range, whichever form it was written in.
  CHECK(r("192.0.2.0/24").first == r("192.0.2.0-192.0.2.255").first);
  CHECK(r("192.0.2.0/255.255.255.0") == r("192.0.2.0-192.0.2.255"));
}
