#include "services/service_registry.hpp"

#include <fmt/format.h>

namespace smharden::services {

void registry::add(method m) {
  if (m.name.empty() || !m.invoke) throw std::logic_error("service method without a name or an implementation");
  if (m.kind == access::mutating && !m.undo) {
    throw std::logic_error(fmt::format("mutating service method {} has no undo function", m.name));
  }
  const std::string name = m.name;
  if (!methods_.emplace(name, std::move(m)).second) {
    throw std::logic_error(fmt::format("service method {} registered twice", name));
  }
}

const method* registry::find(std::string_view name) const {
  const auto it = methods_.find(name);
  return it == methods_.end() ? nullptr : &it->second;
}

std::vector<const method*> registry::all() const {
  std::vector<const method*> out;
  out.reserve(methods_.size());
  for (const auto& [name, m] : methods_) out.push_back(&m);
  return out;
}

std::string require_string(const json& params, std::string_view key) {
  const auto it = params.find(std::string(key));
  if (it == params.end() || !it->is_string()) {
    throw service_error("invalid_params", fmt::format("parameter \"{}\" (string) is required", key));
  }
  return it->get<std::string>();
}

}  // namespace smharden::services
