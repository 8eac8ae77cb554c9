#include "services/windows/password_generator.hpp"

#include <array>
#include <stdexcept>
#include <string_view>

namespace smharden::services::windows {
namespace {

constexpr std::string_view upper_letters = "ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr std::string_view lower_letters = "abcdefghijkmnopqrstuvwxyz";
constexpr std::string_view digits = "23456789";
// No quotes, backslash, space or percent: the password may pass through
// shells, config files and `net user` by an operator.
constexpr std::string_view symbols = "!#$*+-.:=?@^_~";

// Uniform index in [0, n) from the byte stream, rejecting biased bytes.
std::size_t uniform_index(std::size_t n, const random_source& random, std::string& pool, std::size_t& pos) {
  const unsigned limit = 256u - (256u % static_cast<unsigned>(n));
  for (;;) {
    if (pos >= pool.size()) {
      pool = random(64);
      pos = 0;
      if (pool.empty()) throw std::runtime_error("the random source returned no bytes");
    }
    const auto byte = static_cast<unsigned char>(pool[pos++]);
    if (byte < limit) return byte % n;
  }
}

}  // namespace

std::string generate_password(std::size_t length, const random_source& random) {
  if (length < min_password_length || length > max_password_length) {
    throw std::invalid_argument("password length must be between 16 and 127");
  }
  const std::array<std::string_view, 4> classes{upper_letters, lower_letters, digits, symbols};
  std::string all;
  for (const auto c : classes) all += c;

  std::string pool;
  std::size_t pos = 0;
  for (;;) {
    std::string out;
    out.reserve(length);
    for (std::size_t i = 0; i < length; ++i) out += all[uniform_index(all.size(), random, pool, pos)];
    bool complete = true;
    for (const auto c : classes) complete = complete && out.find_first_of(c) != std::string::npos;
    // Redrawing the whole password keeps every accepted password uniform
    // over the complete ones (no forced positions an attacker could know).
    if (complete) return out;
  }
}

}  // namespace smharden::services::windows
