// The profile fixtures folder (tests/profile/fixtures) of the profile tests.
#pragma once

#include <filesystem>
#include <string>

namespace smharden::test {

inline const std::filesystem::path fixtures = SMHARDEN_PROFILE_FIXTURES;

/// fixtures/<name> as the loader prints it.
inline std::string fixture(const std::string& name) { return (fixtures / name).lexically_normal().string(); }

}  // namespace smharden::test
