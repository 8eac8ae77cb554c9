// One plugin module kept in memory: the library handle, a host-sized copy of
// its function table, and its parsed manifest.
#pragma once

#include <smharden/plugin_abi.h>

#include <boost/dll/shared_library.hpp>
#include <filesystem>
#include <string>

#include "registry/plugin_manifest.hpp"

namespace smharden::core {

class loaded_plugin {
 public:
  loaded_plugin(boost::dll::shared_library library, const smh_plugin_v1& table, plugin_manifest manifest,
                std::filesystem::path file)
      : library_(std::move(library)), table_(table), manifest_(std::move(manifest)), file_(std::move(file)) {}

  const plugin_manifest& manifest() const noexcept { return manifest_; }
  const smh_plugin_v1& table() const noexcept { return table_; }
  const std::filesystem::path& file() const noexcept { return file_; }

 private:
  // Declared first so that it is destroyed last: nothing from the module may
  // outlive the module.
  boost::dll::shared_library library_;
  smh_plugin_v1 table_;
  plugin_manifest manifest_;
  std::filesystem::path file_;
};

}  // namespace smharden::core
