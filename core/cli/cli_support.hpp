// Small pieces several subcommands share.
#pragma once

#include <atomic>
#include <string>
#include <vector>

namespace smharden::cli {

/// "a,b" "c" -> {"a", "b", "c"}: list options may be repeated or comma-separated.
std::vector<std::string> split_commas(const std::vector<std::string>& items);

/// While alive, Ctrl-C and SIGTERM set `flag` instead of killing the process,
/// so the current change finishes and is journaled before the run stops.
class stop_signal_scope {
 public:
  explicit stop_signal_scope(std::atomic<bool>& flag);
  ~stop_signal_scope();
  stop_signal_scope(const stop_signal_scope&) = delete;
  stop_signal_scope& operator=(const stop_signal_scope&) = delete;
};

}  // namespace smharden::cli
