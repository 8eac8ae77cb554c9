// The OS side of a supervised run: the supervisor starts this same program
// again as the run's worker, with the worker's stdin, stdout and stderr on
// pipes, and can kill it with everything it started. POSIX: the worker gets
// its own session (setsid: the terminal's Ctrl-C reaches only the
// supervisor) and, on Linux, dies with the supervisor. Windows: the worker
// is in a new process group and a job object that kills it when the
// supervisor's handle closes. Implementations: worker_process_posix.cpp,
// worker_process_win32.cpp.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace smharden::core {

/// How a worker ended.
struct worker_exit {
  bool exited = false;  ///< it called exit (code) rather than being ended by a signal
  int code = 0;
  int signal = 0;  ///< POSIX: the signal that ended it
  /// "exited with status 0", "was killed by signal 11 (SIGSEGV)", ...
  std::string describe() const;
};

class worker_process {
 public:
  /// Starts this program with `args` (argv[1...]). Throws core::runtime_error.
  explicit worker_process(const std::vector<std::string>& args);
  /// Kills the worker if it still runs, and reaps it.
  ~worker_process();
  worker_process(const worker_process&) = delete;
  worker_process& operator=(const worker_process&) = delete;

  /// Writes to the worker's stdin; false when the worker no longer reads it.
  bool write_input(const std::string& bytes);
  void close_input();
  /// Reads what the worker wrote to its stdout (stream 1) or stderr (stream 2); blocks; 0 at the end,
  /// or once stop_reading() was called and nothing more is waiting in the pipe.
  std::size_t read_output(int stream, char* buffer, std::size_t size);
  /// Once the worker has ended: read_output returns what is still in the pipes, then 0, even when
  /// something the worker started (and that escaped kill()) keeps the pipes open.
  void stop_reading();
  /// True once the worker process has ended (it is not reaped: wait() still reports how).
  bool has_exited();
  /// Kills the worker and every process it started (no grace: a hung plugin ignores polite signals).
  void kill();
  /// Waits for the worker to end.
  worker_exit wait();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// In the worker, once at start: points the process's stdout at its stderr (so nothing a plugin
/// prints reaches the supervisor's protocol, or the operator's stdout) and returns the channel
/// to the supervisor, the original stdout.
class result_channel {
 public:
  result_channel();
  ~result_channel();
  result_channel(const result_channel&) = delete;
  result_channel& operator=(const result_channel&) = delete;
  /// Writes one line (a newline is added); false when the supervisor is gone.
  bool send_line(const std::string& line);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// The path of the running program.
std::filesystem::path current_executable();

}  // namespace smharden::core
