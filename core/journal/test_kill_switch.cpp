#include "journal/test_kill_switch.hpp"

#include <cstdlib>

#ifdef _WIN32
#include <windows.h>
#else
#include <unistd.h>
#include <csignal>
#endif

namespace smharden::journal {
namespace {

#ifdef SMHARDEN_TEST_HOOKS
std::size_t read_count(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr || *v == '\0') return 0;
  char* end = nullptr;
  const unsigned long long n = std::strtoull(v, &end, 10);
  return end != nullptr && *end == '\0' ? static_cast<std::size_t>(n) : 0;
}
#endif

}  // namespace

test_kill_switch::test_kill_switch(const std::string& mode) {
#ifdef SMHARDEN_TEST_HOOKS
  const std::string prefix = mode == "rollback" ? "SMHARDEN_TEST_KILL_ROLLBACK_" : "SMHARDEN_TEST_KILL_";
  after_writes_ = read_count(prefix + "AFTER_JOURNAL_WRITES");
  torn_write_ = read_count(prefix + "TORN_WRITE");
  after_mutations_ = read_count(prefix + "AFTER_MUTATIONS");
#else
  (void)mode;
#endif
}

bool test_kill_switch::tear_write(std::size_t record_number) const noexcept {
  return torn_write_ != 0 && record_number == torn_write_;
}

void test_kill_switch::after_journal_write(std::size_t record_number) const noexcept {
  if (after_writes_ != 0 && record_number == after_writes_) die();
}

void test_kill_switch::after_mutation(std::size_t mutation_number) const noexcept {
  if (after_mutations_ != 0 && mutation_number == after_mutations_) die();
}

void test_kill_switch::die() noexcept {
#ifdef _WIN32
  TerminateProcess(GetCurrentProcess(), 137);
#else
  ::kill(::getpid(), SIGKILL);
#endif
  std::_Exit(137);
}

}  // namespace smharden::journal
