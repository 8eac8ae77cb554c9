#include "runtime/install_layout.hpp"

#include <boost/dll/runtime_symbol_info.hpp>
#include <system_error>

// Set by core/runtime/CMakeLists.txt from the install layout.
#ifndef SMHARDEN_PLUGIN_DIR_FROM_BIN
#error "SMHARDEN_PLUGIN_DIR_FROM_BIN is not defined"
#endif
#ifndef SMHARDEN_PROFILE_DIR_FROM_BIN
#error "SMHARDEN_PROFILE_DIR_FROM_BIN is not defined"
#endif

namespace smharden::core {

namespace fs = std::filesystem;

fs::path program_folder() {
  std::error_code ec;
  const fs::path exe = boost::dll::program_location(ec);
  if (ec || exe.empty()) return {};
  return exe.parent_path();
}

std::vector<fs::path> shipped_plugin_folders() {
  const fs::path bin = program_folder();
  if (bin.empty()) return {};
  std::vector<fs::path> out{bin / "plugins"};
  const fs::path installed = (bin / SMHARDEN_PLUGIN_DIR_FROM_BIN).lexically_normal();
  if (installed != out.front().lexically_normal()) out.push_back(installed);
  return out;
}

fs::path shipped_profile_folder() {
  const fs::path bin = program_folder();
  if (bin.empty()) return {};
  return (bin / SMHARDEN_PROFILE_DIR_FROM_BIN).lexically_normal();
}

}  // namespace smharden::core
