// A run_observer that records what it is told, in order, and can refuse.
#pragma once

#include <string>
#include <vector>

#include "run/run_observer.hpp"

namespace smharden::test {

class recording_observer final : public core::run_observer {
 public:
  std::vector<std::string> events;
  bool refuse = false;  ///< before_mutation throws, as the journal does after an interrupt

  void before_mutation(const std::string& step, const std::string& method, const nlohmann::json& params,
                       const services::undo_record& undo) override {
    if (refuse) throw services::service_error("cancelled", "refused by the observer");
    events.push_back("before " + step + " " + method + " " + params.dump() + " undo " + undo.calls.dump());
  }
  void after_mutation(const std::string& step, const std::string& method, bool ok) override {
    events.push_back("after " + step + " " + method + (ok ? " ok" : " failed"));
  }
  void before_file_write(const std::string& step, const std::filesystem::path& file) override {
    events.push_back("file " + step + " " + file.filename().string());
  }
  void step_finished(const std::string& step, const std::string& status) override {
    events.push_back("finished " + step + " " + status);
  }
};

}  // namespace smharden::test
