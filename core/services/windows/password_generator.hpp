// Strong random passwords for a service user the run must create. Pure
// logic over a byte source, so tests can drive it; the service feeds it the
// OS CSPRNG (os_random.hpp).
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace smharden::services::windows {

inline constexpr std::size_t min_password_length = 16;
inline constexpr std::size_t max_password_length = 127;  // NetUserAdd limit (PWLEN 256, LM-safe 127)

/// Returns `count` random bytes.
using random_source = std::function<std::string(std::size_t count)>;

/// A password of `length` characters (min_password_length..max_password_length,
/// else std::invalid_argument) drawn uniformly (rejection sampling) from
/// upper, lower, digits and symbols, with at least one of each class so it
/// meets the Windows complexity policy.
std::string generate_password(std::size_t length, const random_source& random);

}  // namespace smharden::services::windows
