// Crash tests end the process at chosen journal points to prove that a kill at
// any point leaves a journal that rollback can finish. Only the test build of
// the host (tests/support/test_host_main.cpp) installs an injector; the
// smharden binary that is installed never does, so these points do nothing there.
#pragma once

#include <cstddef>
#include <string>

namespace smharden::journal {

class fault_injector {
 public:
  fault_injector() = default;
  fault_injector(const fault_injector&) = delete;
  fault_injector& operator=(const fault_injector&) = delete;
  virtual ~fault_injector() = default;

  /// `mode` is the journal's run mode ("apply" or "rollback"); numbers count from 1.
  /// True when record `record_number` is to be written half, then the process ended.
  virtual bool tear_write(const std::string& mode, std::size_t record_number) const noexcept = 0;
  /// Called after each durable record / after each mutating call returned (before its outcome is journaled).
  virtual void after_journal_write(const std::string& mode, std::size_t record_number) const noexcept = 0;
  virtual void after_mutation(const std::string& mode, std::size_t mutation_number) const noexcept = 0;
  /// Ends the process as SIGKILL would: no destructors, no flushing.
  [[noreturn]] virtual void die() const noexcept = 0;
};

/// Installs `injector` (owned by the caller, alive until the process ends) for every journal opened later.
void install_fault_injector(const fault_injector* injector) noexcept;
/// The installed injector, or null (always null in the installed binary).
const fault_injector* installed_fault_injector() noexcept;

}  // namespace smharden::journal
