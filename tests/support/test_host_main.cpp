// smharden-test-host: the smharden CLI plus the crash-test fault injector. The
// safety tests run it to end `apply` (or `rollback`) at every journal point
// deterministically; it is built only with the tests and never installed.
//
//   SMHARDEN_TEST_KILL_AFTER_JOURNAL_WRITES=N  die right after the Nth record is durable
//   SMHARDEN_TEST_KILL_TORN_WRITE=N            write half of the Nth record, then die
//   SMHARDEN_TEST_KILL_AFTER_MUTATIONS=N       die when the Nth mutating call returned,
//                                              before its outcome is journaled
//
// Rollback runs read the same variables with the prefix
// SMHARDEN_TEST_KILL_ROLLBACK_ (e.g. SMHARDEN_TEST_KILL_ROLLBACK_AFTER_JOURNAL_WRITES).
//
// A kill point ends the worker of a supervised apply together with its
// supervisor (a power loss), unless SMHARDEN_TEST_KILL_WORKER_ONLY=1: then only
// the worker dies at the point (a crash in the worker) and the supervisor,
// which never stops at a kill point, finishes the run.
#include <cstdlib>
#include <string>

#include "cli/cli.hpp"
#include "cli/run_worker.hpp"
#include "run/fault_injector.hpp"

#ifdef _WIN32
#include <windows.h>
#else
#include <unistd.h>

#include <csignal>
#endif

namespace {

// The worker of a supervised apply (the run's plugins and journal writes) is this program too; a
// kill point simulates a power loss, so it takes the supervisor down with it.
bool g_is_worker = false;

bool worker_only() {
  const char* v = std::getenv("SMHARDEN_TEST_KILL_WORKER_ONLY");
  return v != nullptr && std::string(v) == "1";
}

std::size_t read_count(const std::string& name) {
  const char* v = std::getenv(name.c_str());
  if (v == nullptr || *v == '\0') return 0;
  char* end = nullptr;
  const unsigned long long n = std::strtoull(v, &end, 10);
  return end != nullptr && *end == '\0' ? static_cast<std::size_t>(n) : 0;
}

struct kill_points {
  std::size_t after_writes = 0;
  std::size_t torn_write = 0;
  std::size_t after_mutations = 0;

  explicit kill_points(const std::string& prefix)
      : after_writes(read_count(prefix + "AFTER_JOURNAL_WRITES")),
        torn_write(read_count(prefix + "TORN_WRITE")),
        after_mutations(read_count(prefix + "AFTER_MUTATIONS")) {}
};

class environment_fault_injector final : public smharden::journal::fault_injector {
 public:
  bool tear_write(const std::string& mode, std::size_t record_number) const noexcept override {
    if (spared()) return false;
    const std::size_t n = points(mode).torn_write;
    return n != 0 && record_number == n;
  }
  void after_journal_write(const std::string& mode, std::size_t record_number) const noexcept override {
    if (spared()) return;
    const std::size_t n = points(mode).after_writes;
    if (n != 0 && record_number == n) die();
  }
  void after_mutation(const std::string& mode, std::size_t mutation_number) const noexcept override {
    if (spared()) return;
    const std::size_t n = points(mode).after_mutations;
    if (n != 0 && mutation_number == n) die();
  }
  [[noreturn]] void die() const noexcept override {
#ifdef _WIN32
    TerminateProcess(GetCurrentProcess(), 137);
#else
    if (g_is_worker && !worker_only_) ::kill(::getppid(), SIGKILL);
    ::kill(::getpid(), SIGKILL);
#endif
    std::_Exit(137);
  }

 private:
  const kill_points& points(const std::string& mode) const noexcept { return mode == "rollback" ? rollback_ : apply_; }
  /// With SMHARDEN_TEST_KILL_WORKER_ONLY=1, the supervisor never stops at a kill point.
  bool spared() const noexcept { return worker_only_ && !g_is_worker; }
  bool worker_only_ = worker_only();
  kill_points apply_{"SMHARDEN_TEST_KILL_"};
  kill_points rollback_{"SMHARDEN_TEST_KILL_ROLLBACK_"};
};

}  // namespace

int main(int argc, char** argv) {
  g_is_worker = argc == 2 && std::string(argv[1]) == smharden::cli::worker_flag;
  static const environment_fault_injector injector;
  smharden::journal::install_fault_injector(&injector);
  return smharden::cli::run(argc, argv);
}
