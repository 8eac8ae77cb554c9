// Replaces every known secret value with "***" in text bound for a log,
// report or journal. Every secret smharden reads or a plugin puts is added.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace smharden::core {

class redactor {
 public:
  /// Registers a value; values shorter than 4 characters are ignored (they
  /// would mangle ordinary text and are not plausible secrets).
  void add(std::string_view secret);
  std::string apply(std::string_view text) const;

 private:
  mutable std::mutex mutex_;
  std::set<std::string, std::greater<>> secrets_;  // longest-first order is not needed; greater<> keeps supersets first
};

}  // namespace smharden::core
