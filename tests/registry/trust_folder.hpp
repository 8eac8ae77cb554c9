// A plugin folder in a temporary folder holding a copy of the trust-probe
// plugin, with modes the test chooses (0755 folders and a 0644 module first).
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>

#include "temp_dir.hpp"

namespace trust_test {

namespace fs = std::filesystem;

struct trust_folder {
  smharden::test::temp_dir tmp{"smharden-trust"};
  fs::path dir = tmp.path() / "plugins";
  fs::path module = dir / fs::path(TRUST_PLUGIN).filename();

  trust_folder() {
    fs::permissions(tmp.path(), fs::perms(0755));
    fs::create_directory(dir);
    fs::permissions(dir, fs::perms(0755));
    fs::copy_file(TRUST_PLUGIN, module);
    fs::permissions(module, fs::perms(0644));
  }
  /// Appends bytes: the module still loads, but its hash changes.
  void tamper() const {
    std::FILE* f = std::fopen(module.c_str(), "ab");
    std::fputs("tampered", f);
    std::fclose(f);
  }
};

}  // namespace trust_test
