#include "temp_profiles.hpp"

#include "base/errors.hpp"
#include "profile/profile.hpp"

namespace smharden::test {

std::string temp_profiles::load_error(const std::string& name) const {
  try {
    core::load_profile(dir_.path() / name);
  } catch (const core::profile_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace smharden::test
