// The supervisor's side of a worker's two output pipes: one reader thread
// per pipe, lines into one queue, so that the supervisor waits on both and on
// a deadline at once, the same way on every OS.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "run/worker_process.hpp"

namespace smharden::core {

class worker_output_pump {
 public:
  using clock = std::chrono::steady_clock;
  enum class wait_result { line, timeout, end };

  explicit worker_output_pump(worker_process& worker);
  ~worker_output_pump();
  worker_output_pump(const worker_output_pump&) = delete;
  worker_output_pump& operator=(const worker_output_pump&) = delete;

  /// The next line (`stream` 1 = stdout, 2 = stderr), waiting until `until`; `end` once both
  /// pipes are closed and every line was taken.
  wait_result next(clock::time_point until, int& stream, std::string& line);

 private:
  void read_loop(int stream);
  void push(int stream, std::string line);

  worker_process& worker_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::pair<int, std::string>> lines_;
  int ended_ = 0;
  std::vector<std::thread> readers_;
};

}  // namespace smharden::core
