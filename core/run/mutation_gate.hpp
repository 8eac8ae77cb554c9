// The one place where a run changes its target. Every mutating service call —
// a plugin's during apply, the engine's restarts, rollback's undo replay —
// goes through call(): the undo record is computed from the target's state
// and made durable in the journal, the call runs, and its outcome is
// journaled whether it returned or threw.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "run/run_observer.hpp"
#include "services/service_registry.hpp"

namespace smharden::core {

class mutation_gate {
 public:
  /// `observer` keeps the journal; null only for runs nobody journals (tests of the engine alone).
  explicit mutation_gate(run_observer* observer) : observer_(observer) {}

  /// Runs mutating method `m` for `step`. Throws what the observer or the call throws; a throw from
  /// the observer before the call (e.g. the operator interrupted the run) means the call did not run.
  nlohmann::json call(const std::string& step, const services::method& m, const nlohmann::json& params);

  run_observer* observer() const noexcept { return observer_; }

 private:
  run_observer* observer_;
};

}  // namespace smharden::core
