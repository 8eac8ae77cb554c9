#include "run/worker_output_pump.hpp"

namespace smharden::core {
namespace {

// A plugin that prints without newlines still reaches the log in pieces.
constexpr std::size_t max_output_line = 64 * 1024;

}  // namespace

worker_output_pump::worker_output_pump(worker_process& worker) : worker_(worker) {
  readers_.emplace_back([this] { read_loop(1); });
  readers_.emplace_back([this] { read_loop(2); });
}

worker_output_pump::~worker_output_pump() {
  worker_.kill();          // closes the pipes, so the readers end
  worker_.stop_reading();  // ... or, if something the kill missed keeps them open, stop them
  for (auto& t : readers_) t.join();
}

void worker_output_pump::push(int stream, std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::lock_guard<std::mutex> lock(mutex_);
  lines_.emplace_back(stream, std::move(line));
  ready_.notify_all();
}

void worker_output_pump::read_loop(int stream) {
  std::string pending;
  std::size_t scanned = 0;  // bytes at the start of pending with no line break: a long line is searched once
  char buffer[8192];
  for (;;) {
    const std::size_t n = worker_.read_output(stream, buffer, sizeof buffer);
    if (n == 0) break;
    pending.append(buffer, n);
    std::size_t start = 0;
    for (std::size_t nl = pending.find('\n', scanned); nl != std::string::npos; nl = pending.find('\n', start)) {
      push(stream, pending.substr(start, nl - start));
      start = nl + 1;
    }
    pending.erase(0, start);
    if (stream == 2 && pending.size() > max_output_line) push(stream, std::exchange(pending, {}));
    scanned = pending.size();
  }
  if (!pending.empty()) push(stream, std::move(pending));
  std::lock_guard<std::mutex> lock(mutex_);
  ++ended_;
  ready_.notify_all();
}

worker_output_pump::wait_result worker_output_pump::next(clock::time_point until, int& stream, std::string& line) {
  std::unique_lock<std::mutex> lock(mutex_);
  ready_.wait_until(lock, until, [this] { return !lines_.empty() || ended_ == 2; });
  if (!lines_.empty()) {
    stream = lines_.front().first;
    line = std::move(lines_.front().second);
    lines_.pop_front();
    return wait_result::line;
  }
  return ended_ == 2 ? wait_result::end : wait_result::timeout;
}

}  // namespace smharden::core
