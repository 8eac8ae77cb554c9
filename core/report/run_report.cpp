#include "report/run_report.hpp"

namespace smharden::core {

const char* to_string(step_status s) {
  switch (s) {
    case step_status::compliant:
      return "compliant";
    case step_status::drift:
      return "drift";
    case step_status::applied:
      return "applied";
    case step_status::failed:
      return "failed";
    case step_status::blocked:
      return "blocked";
    case step_status::skipped:
      return "skipped";
    case step_status::waived:
      return "waived";
    case step_status::error:
      return "error";
  }
  return "error";
}

bool findings_still_open(step_status s) {
  return s != step_status::compliant && s != step_status::applied && s != step_status::skipped;
}

std::map<std::string, int> run_report::summary() const {
  std::map<std::string, int> counts;
  for (const char* s : {"compliant", "drift", "applied", "failed", "blocked", "skipped", "waived", "error"}) {
    counts[s] = 0;
  }
  for (const auto& step : steps) ++counts[to_string(step.status)];
  return counts;
}

}  // namespace smharden::core
