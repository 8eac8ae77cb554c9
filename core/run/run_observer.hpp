// What the engine tells whoever keeps the run's record (the journal) before
// and after each thing that changes the target. The engine calls these
// synchronously; a throw from before_* stops the change from happening.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "services/service_registry.hpp"

namespace smharden::core {

class run_observer {
 public:
  virtual ~run_observer() = default;
  /// Before a mutating service call runs: `undo` restores the state before
  /// it. Must be durable (flushed) when this returns.
  virtual void before_mutation(const std::string& step, const std::string& method, const nlohmann::json& params,
                               const services::undo_record& undo) = 0;
  /// After the call returned (ok = false: it threw).
  virtual void after_mutation(const std::string& step, const std::string& method, bool ok) = 0;
  /// Before every write of a file (on the first one in this run the observer keeps a copy).
  virtual void before_file_write(const std::string& step, const std::filesystem::path& file) = 0;
  /// After a write of a file: the sha256 of the bytes now in it (nullopt: removed).
  virtual void file_written(const std::string& /*step*/, const std::filesystem::path& /*file*/,
                            const std::optional<std::string>& /*sha256*/) {}
  /// A step finished (its status as text).
  virtual void step_finished(const std::string& step, const std::string& status) = 0;
};

}  // namespace smharden::core
