// SHA-256 against the published test vectors (FIPS 180-2 examples).
#include <catch2/catch.hpp>

#include <string>

#include "base/atomic_file.hpp"

using smharden::util::sha256_hex;

TEST_CASE("sha256: the FIPS 180-2 vectors", "[base][sha256]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256: every byte counts, NUL bytes included, lower-case hex of 64 digits", "[base][sha256]") {
  const std::string one_nul(1, '\0');
  CHECK(sha256_hex(one_nul) == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  CHECK(sha256_hex(one_nul) != sha256_hex(""));
  CHECK(sha256_hex(std::string("ab\0c", 4)) != sha256_hex("abc"));
  const std::string h = sha256_hex("smharden");
  CHECK(h.size() == 64);
  CHECK(h.find_first_not_of("0123456789abcdef") == std::string::npos);
}
