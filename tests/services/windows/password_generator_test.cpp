#include <catch2/catch.hpp>

#include <set>
#include <stdexcept>

#include "services/windows/os_random.hpp"
#include "services/windows/password_generator.hpp"

using namespace smharden::services::windows;

namespace {
bool has_any(const std::string& s, bool (*pred)(unsigned char)) {
  for (const char c : s) {
    if (pred(static_cast<unsigned char>(c))) return true;
  }
  return false;
}
bool is_up(unsigned char c) { return c >= 'A' && c <= 'Z'; }
bool is_low(unsigned char c) { return c >= 'a' && c <= 'z'; }
bool is_dig(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_sym(unsigned char c) { return !is_up(c) && !is_low(c) && !is_dig(c); }
}  // namespace

TEST_CASE("generated passwords have the length and every character class", "[windows][password]") {
  for (int i = 0; i < 200; ++i) {
    const std::string p = generate_password(16, os_random_bytes);
    REQUIRE(p.size() == 16);
    CHECK(has_any(p, is_up));
    CHECK(has_any(p, is_low));
    CHECK(has_any(p, is_dig));
    CHECK(has_any(p, is_sym));
    CHECK(p.find_first_of("\"'\\ %`") == std::string::npos);
  }
}

TEST_CASE("generated passwords differ from each other", "[windows][password]") {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(generate_password(24, os_random_bytes));
  CHECK(seen.size() == 100);
}

TEST_CASE("out-of-range lengths are refused", "[windows][password]") {
  CHECK_THROWS_AS(generate_password(15, os_random_bytes), std::invalid_argument);
  CHECK_THROWS_AS(generate_password(128, os_random_bytes), std::invalid_argument);
  CHECK(generate_password(127, os_random_bytes).size() == 127);
}

TEST_CASE("biased bytes are rejected, so a constant high source never returns", "[windows][password]") {
  // 0xFF is above every class alphabet's rejection limit; a source that only
  // yields it must not produce a (biased) password. After 10 refills switch to real bytes.
  int calls = 0;
  const random_source stuck = [&](std::size_t n) {
    ++calls;
    return calls <= 10 ? std::string(n, '\xFF') : os_random_bytes(n);
  };
  const std::string p = generate_password(20, stuck);
  CHECK(p.size() == 20);
  CHECK(calls > 10);
}

TEST_CASE("an empty random source is an error, not a hang", "[windows][password]") {
  const random_source empty = [](std::size_t) { return std::string(); };
  CHECK_THROWS_AS(generate_password(20, empty), std::runtime_error);
}

TEST_CASE("the OS CSPRNG returns the requested number of bytes", "[windows][password]") {
  CHECK(os_random_bytes(0).empty());
  CHECK(os_random_bytes(33).size() == 33);
  CHECK(os_random_bytes(32) != os_random_bytes(32));
}
