// A scratch folder of profile files for one test, removed afterwards.
#pragma once

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "base/errors.hpp"
#include "profile/profile.hpp"

namespace smharden::test {

class temp_profiles {
 public:
  temp_profiles() {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() / ("smharden-profile-test-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
  }
  ~temp_profiles() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  temp_profiles(const temp_profiles&) = delete;
  temp_profiles& operator=(const temp_profiles&) = delete;

  std::filesystem::path write(const std::string& name, const std::string& text) const {
    auto path = dir_ / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  /// The message of the profile_error that loading `name` throws ("" when none).
  std::string load_error(const std::string& name) const {
    try {
      core::load_profile(dir_ / name);
    } catch (const core::profile_error& e) {
      return e.what();
    }
    return "";
  }

 private:
  std::filesystem::path dir_;
};

}  // namespace smharden::test
