#include "services/method_table.hpp"

#include <fmt/format.h>

namespace smharden::services {

void rethrow_as_service_error(std::string_view method_name) {
  try {
    throw;
  } catch (const service_error&) {
    throw;
  } catch (const json::exception& e) {
    throw service_error("invalid_params", fmt::format("{}: {}", method_name, e.what()));
  } catch (const std::exception& e) {
    throw service_error("failed", fmt::format("{}: {}", method_name, e.what()));
  }
}

std::optional<std::string> optional_string(const json& params, const char* key) {
  const auto it = params.find(key);
  if (it == params.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw service_error("invalid_params", fmt::format("parameter \"{}\" must be a string", key));
  return it->get<std::string>();
}

std::optional<bool> optional_bool(const json& params, const char* key) {
  const auto it = params.find(key);
  if (it == params.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean()) {
    throw service_error("invalid_params", fmt::format("parameter \"{}\" must be true or false", key));
  }
  return it->get<bool>();
}

}  // namespace smharden::services
