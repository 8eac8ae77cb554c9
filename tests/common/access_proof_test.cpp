// The lockout proof: which management ranges lose access to any address under
// ordered allow/deny rules and a default, and why.
#include <catch2/catch.hpp>

#include <smharden/common/access_proof.hpp>

using namespace smharden::common;

namespace {

written_range w(const char* text) {
  const auto parsed = parse_written_range(text);
  REQUIRE(parsed);
  return *parsed;
}

access_rule allow(const char* text) { return {w(text), true}; }
access_rule deny(const char* text) { return {w(text), false}; }

std::vector<std::string> excluded(const std::vector<excluded_range>& found) {
  std::vector<std::string> out;
  for (const auto& e : found) out.push_back(e.range);
  return out;
}

}  // namespace

TEST_CASE("written ranges keep the operator's text", "[access]") {
  const written_range m = w("10.1.2.3/8");
  CHECK(m.text == "10.1.2.3/8");
  CHECK(m.range == *parse_ip_range("10.0.0.0/8"));
  CHECK_FALSE(parse_written_range("not-an-ip"));
}

TEST_CASE("allow entries that cover every management range, alone or together, keep them in", "[access]") {
  const access_policy policy{{allow("192.0.2.0/25"), allow("192.0.2.128-192.0.2.255"), allow("2001:db8::/48")}, false};
  CHECK(find_excluded({w("192.0.2.0/24"), w("192.0.2.10"), w("2001:db8:0:1::/64")}, policy).empty());
}

TEST_CASE("a range only partly allowed, or not at all, is excluded under a default deny", "[access]") {
  const access_policy policy{{allow("192.0.2.0/24"), allow("198.51.100.0/25")}, false};
  const auto found = find_excluded({w("192.0.2.0/24"), w("198.51.100.0/24"), w("203.0.113.5")}, policy);
  CHECK(excluded(found) == std::vector<std::string>{"198.51.100.0/24", "203.0.113.5"});
  REQUIRE(found.size() == 2);
  CHECK_FALSE(found[0].deny_rule);
  CHECK_THAT(found[0].reason, Catch::Contains("not (entirely) inside any allow entry"));
  // The same rules under a default allow lose nobody.
  CHECK(find_excluded({w("198.51.100.0/24"), w("203.0.113.5")}, {policy.rules, true}).empty());
}

TEST_CASE("the first rule that matches an address decides", "[access]") {
  const access_policy allow_first{{allow("10.0.0.0/24"), deny("10.0.0.0/8")}, false};
  CHECK(find_excluded({w("10.0.0.7")}, allow_first).empty());
  CHECK(excluded(find_excluded({w("10.0.1.7")}, allow_first)) == std::vector<std::string>{"10.0.1.7"});

  const access_policy deny_first{{deny("10.0.0.0/8"), allow("10.0.0.0/24")}, true};
  const auto found = find_excluded({w("10.0.0.7"), w("192.0.2.1")}, deny_first);
  REQUIRE(found.size() == 1);
  CHECK(found[0].range == "10.0.0.7");
  CHECK(found[0].deny_rule == std::size_t{0});
  CHECK_THAT(found[0].reason, Catch::Contains("deny entry 10.0.0.0/8"));
}

TEST_CASE("a deny entry that reaches any address of a management range excludes it", "[access]") {
  // The deny comes after an allow that holds only part of the range: the rest meets the deny.
  const access_policy policy{{allow("10.20.30.0/25"), deny("10.20.30.40-10.20.30.200"), allow("0.0.0.0/0")}, true};
  const auto found = find_excluded({w("10.20.30.0/24"), w("10.20.30.0/26"), w("10.99.0.0/16")}, policy);
  CHECK(excluded(found) == std::vector<std::string>{"10.20.30.0/24"});
  REQUIRE(found.size() == 1);
  CHECK(found[0].deny_rule == std::size_t{1});
  CHECK_THAT(found[0].reason, Catch::Contains("10.20.30.40-10.20.30.200"));
}

TEST_CASE("IPv4 rules do not decide IPv6 ranges, nor the reverse", "[access]") {
  CHECK(excluded(find_excluded({w("2001:db8::1")}, {{allow("0.0.0.0/0")}, false})) ==
        std::vector<std::string>{"2001:db8::1"});
  CHECK(find_excluded({w("2001:db8::1"), w("192.0.2.1")}, {{allow("0.0.0.0/0"), allow("::/0")}, false}).empty());
  CHECK(find_excluded({w("192.0.2.1")}, {{deny("::/0")}, true}).empty());
}

TEST_CASE("ranges at the ends of the address space", "[access]") {
  const access_policy policy{{allow("0.0.0.0-127.255.255.255"), allow("128.0.0.0/1")}, false};
  CHECK(find_excluded({w("0.0.0.0/0")}, policy).empty());
  const access_policy v6{{allow("::/1"), deny("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), allow("8000::/1")}, false};
  CHECK(excluded(find_excluded({w("::/0"), w("::/1")}, v6)) == std::vector<std::string>{"::/0"});
}
