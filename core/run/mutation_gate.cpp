#include "run/mutation_gate.hpp"

namespace smharden::core {

nlohmann::json mutation_gate::call(const std::string& step, const services::method& m, const nlohmann::json& params) {
  if (observer_ == nullptr) return m.invoke(params);
  const services::undo_record undo = m.undo ? m.undo(params) : services::undo_record{};
  observer_->before_mutation(step, m.name, params, undo);
  nlohmann::json result;
  try {
    result = m.invoke(params);
  } catch (...) {
    observer_->after_mutation(step, m.name, false);
    throw;
  }
  observer_->after_mutation(step, m.name, true);
  return result;
}

}  // namespace smharden::core
