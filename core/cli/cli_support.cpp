#include "cli/cli_support.hpp"

#include <fmt/format.h>

#include "cli/cli_context.hpp"
#include "profile/profile_name.hpp"
#include "runtime/install_layout.hpp"
#include "runtime/state_dir.hpp"
#include "services/service_registry.hpp"

namespace smharden::cli {
std::vector<std::string> split_commas(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) {
    std::size_t start = 0;
    while (start <= item.size()) {
      const auto comma = item.find(',', start);
      const auto piece = item.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!piece.empty()) out.push_back(piece);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

std::filesystem::path profile_argument(const std::string& arg) {
  return core::resolve_profile_argument(arg, core::shipped_profile_folder());
}

}  // namespace smharden::cli
