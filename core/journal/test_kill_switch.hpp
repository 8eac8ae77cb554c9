// Crash-test hooks: make the process SIGKILL itself at a chosen journal
// point, so the safety tests can kill `apply` (or `rollback`) at every
// step deterministically. Only builds configured with SMHARDEN_TESTS=ON
// honour them (SMHARDEN_TEST_HOOKS); release builds compile them out.
//
//   SMHARDEN_TEST_KILL_AFTER_JOURNAL_WRITES=N  die right after the Nth record is durable
//   SMHARDEN_TEST_KILL_TORN_WRITE=N            write half of the Nth record, then die
//   SMHARDEN_TEST_KILL_AFTER_MUTATIONS=N       die when the Nth mutating call returned,
//                                              before its outcome is journaled
//
// Rollback runs read the same variables with the prefix
// SMHARDEN_TEST_KILL_ROLLBACK_ (e.g. SMHARDEN_TEST_KILL_ROLLBACK_AFTER_JOURNAL_WRITES).
#pragma once

#include <cstddef>
#include <string>

namespace smharden::journal {

class test_kill_switch {
 public:
  /// Reads the variables for `mode` ("apply" or "rollback"); inert without SMHARDEN_TEST_HOOKS.
  explicit test_kill_switch(const std::string& mode);

  /// True when the record about to be written is the one to tear.
  bool tear_write(std::size_t record_number) const noexcept;
  /// Called after each durable record / after each returned mutating call.
  void after_journal_write(std::size_t record_number) const noexcept;
  void after_mutation(std::size_t mutation_number) const noexcept;

  /// Ends the process as SIGKILL would: no destructors, no flushing.
  [[noreturn]] static void die() noexcept;

 private:
  std::size_t after_writes_ = 0;
  std::size_t torn_write_ = 0;
  std::size_t after_mutations_ = 0;
};

}  // namespace smharden::journal
