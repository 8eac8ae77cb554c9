#include "run/restart_table.hpp"

#include <array>

namespace smharden::core {
namespace {

constexpr std::array<restart_kind, 2> restart_kinds{{
    {"service", "windows.service.restart"},
    {"app_pool", "iis.app_pool.recycle"},
}};

}  // namespace

std::optional<std::string_view> restart_method_for(std::string_view kind) {
  for (const auto& k : restart_kinds) {
    if (k.kind == kind) return k.method;
  }
  return std::nullopt;
}

std::optional<std::string_view> restart_kind_of(std::string_view method) {
  for (const auto& k : restart_kinds) {
    if (k.method == method) return k.kind;
  }
  return std::nullopt;
}

}  // namespace smharden::core
