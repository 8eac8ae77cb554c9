#include <catch2/catch.hpp>

#include "services/smartermail/totp.hpp"

using namespace smharden::services::smartermail;

namespace {
byte_string ascii(const std::string& s) { return byte_string(s.begin(), s.end()); }
}  // namespace

TEST_CASE("TOTP matches the RFC 6238 appendix B vectors (SHA-1, 8 digits)", "[smartermail][totp]") {
  const auto key = ascii("12345678901234567890");
  CHECK(totp(key, 59, 8) == "94287082");
  CHECK(totp(key, 1111111109, 8) == "07081804");
  CHECK(totp(key, 1111111111, 8) == "14050471");
  CHECK(totp(key, 1234567890, 8) == "89005924");
  CHECK(totp(key, 2000000000, 8) == "69279037");
  CHECK(totp(key, 20000000000, 8) == "65353130");
}

TEST_CASE("HOTP matches the RFC 4226 appendix D values", "[smartermail][totp]") {
  const auto key = ascii("12345678901234567890");
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (std::uint64_t i = 0; i < 10; ++i) CHECK(hotp(key, i) == expected[i]);
}

TEST_CASE("HMAC-SHA1 matches RFC 2202 test case 2", "[smartermail][totp]") {
  const auto mac = hmac_sha1(ascii("Jefe"), ascii("what do ya want for nothing?"));
  const byte_string expected = {0xef, 0xfc, 0xdf, 0x6a, 0xe5, 0xeb, 0x2f, 0xa2, 0xd2, 0x74,
                                0x16, 0xd5, 0xf1, 0x84, 0xdf, 0x9c, 0x25, 0x9a, 0x7c, 0x79};
  CHECK(mac == expected);
}

TEST_CASE("base32 seeds decode as authenticator apps read them", "[smartermail][totp]") {
  // "12345678901234567890" in base32 is the seed apps would show for the RFC key.
  CHECK(base32_decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ") == ascii("12345678901234567890"));
  CHECK(base32_decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq") == ascii("12345678901234567890"));
  CHECK(base32_decode("MZXW6===") == ascii("foo"));
  CHECK_THROWS_AS(base32_decode("not base32!"), std::invalid_argument);
  CHECK_THROWS_AS(base32_decode(""), std::invalid_argument);
  try {
    base32_decode("SECRET1SEED");
    FAIL("expected an error");
  } catch (const std::invalid_argument& e) {
    CHECK(std::string(e.what()).find("SECRET1SEED") == std::string::npos);  // the seed is never echoed
  }
}
