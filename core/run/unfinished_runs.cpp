#include "run/unfinished_runs.hpp"

#include <fmt/format.h>

#include "run/run_folder.hpp"

namespace smharden::journal {

std::vector<std::string> unfinished_run_notices(const std::filesystem::path& state_dir) {
  std::vector<std::string> out;
  for (const auto& r : list_runs(state_dir)) {
    if (r.mode != "apply" || r.rolled_back == "yes" || r.rolled_back == "n/a") continue;
    if (r.outcome == "incomplete") {
      out.push_back(fmt::format(
          "run {} (apply of {} on {}, started {}) did not finish: its journal has no end and {} change(s) are not "
          "rolled back. Unless it is still running, roll it back with: smharden rollback {}",
          r.id, r.profile, r.target, r.started_at, r.mutations, r.id));
    } else if (r.outcome == "interrupted") {
      out.push_back(fmt::format(
          "run {} (apply of {} on {}, started {}) was interrupted and {} change(s) are not rolled back. To undo "
          "them: smharden rollback {}",
          r.id, r.profile, r.target, r.started_at, r.mutations, r.id));
    }
  }
  return out;
}

}  // namespace smharden::journal
