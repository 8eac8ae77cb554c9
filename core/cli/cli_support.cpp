#include "cli/cli_support.hpp"

#include <fmt/format.h>

#include <csignal>

#include "cli/cli_context.hpp"
#include "runtime/state_dir.hpp"
#include "services/service_registry.hpp"

namespace smharden::cli {
namespace {

std::atomic<bool>* g_stop_flag = nullptr;

extern "C" void on_stop_signal(int /*sig*/) {
  if (g_stop_flag != nullptr) g_stop_flag->store(true);
}

}  // namespace

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

stop_signal_scope::stop_signal_scope(std::atomic<bool>& flag) {
  g_stop_flag = &flag;
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
}

stop_signal_scope::~stop_signal_scope() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  g_stop_flag = nullptr;
}

}  // namespace smharden::cli
