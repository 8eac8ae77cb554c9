#include "cli_lab.hpp"

#include <stdexcept>

namespace smharden::test {

cli_lab::cli_lab(const std::string& tag, std::filesystem::path plugin_dir, bool init)
    : dir_(tag), cli_(std::move(plugin_dir), dir_.path() / "state") {
  if (init) init_lab();
}

void cli_lab::init_lab() const {
  const cli_result r = cli_.run({"lab", "init", lab().string()});
  if (r.exit_code != 0) throw std::runtime_error("smharden lab init failed: " + r.err);
}

std::string cli_lab::ensure_lab() const {
  if (!std::filesystem::exists(lab() / "target.json")) init_lab();
  return target();
}

}  // namespace smharden::test
