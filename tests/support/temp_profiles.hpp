// A scratch folder of profile files for one test, and what loading one says.
#pragma once

#include <filesystem>
#include <string>

#include "temp_dir.hpp"

namespace smharden::test {

class temp_profiles {
 public:
  /// Writes `text` to `name` (parent folders created) and returns its path.
  std::filesystem::path write(const std::string& name, const std::string& text) const { return dir_.write(name, text); }
  std::string path(const std::string& name) const { return (dir_.path() / name).string(); }
  /// The message of the profile_error that loading `name` throws ("" when none).
  std::string load_error(const std::string& name) const;

 private:
  temp_dir dir_{"smharden-profile-test"};
};

}  // namespace smharden::test
