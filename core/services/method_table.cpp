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

}  // namespace smharden::services
