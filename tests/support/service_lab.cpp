#include "service_lab.hpp"

#include <stdexcept>

namespace smharden::test {

service_lab::service_lab(const std::string& tag) : dir(tag) {
  env.before_file_write = [this](const std::filesystem::path& p) { announced.push_back(p); };
  env.secret = [this](const std::string& name) -> std::optional<std::string> {
    const auto it = secrets.find(name);
    if (it == secrets.end()) return std::nullopt;
    return it->second;
  };
  env.log = [](const std::string&) {};
}

services::target service_lab::make_target(services::target_kind kind) const {
  services::target t;
  t.kind = kind;
  t.root = dir.path();
  return t;
}

void service_lab::attach(std::unique_ptr<services::service> s) {
  service = std::move(s);
  service->register_methods(registry);
}

nlohmann::json service_lab::call(const std::string& method, const nlohmann::json& params) {
  const services::method* m = registry.find(method);
  if (m == nullptr) throw std::logic_error("no method " + method);
  return m->invoke(params);
}

services::undo_record service_lab::undo(const std::string& method, const nlohmann::json& params) {
  const services::method* m = registry.find(method);
  if (m == nullptr || !m->undo) throw std::logic_error("no undo for " + method);
  return m->undo(params);
}

services::undo_record service_lab::call_journaled(const std::string& method, const nlohmann::json& params) {
  auto record = undo(method, params);
  call(method, params);
  return record;
}

void service_lab::replay(const services::undo_record& record) {
  for (const auto& c : record.calls) call(c.at("method").get<std::string>(), c.at("params"));
}

}  // namespace smharden::test
