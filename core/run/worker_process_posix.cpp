// worker_process on POSIX: fork + setsid + exec, three pipes, SIGKILL to the
// worker's process group.
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>

#include "base/errors.hpp"
#include "run/worker_process.hpp"

#ifdef __linux__
#include <sys/prctl.h>
#endif

namespace smharden::core {
namespace posix_worker {

// Named, not anonymous: worker_process::impl holds one.
struct pipe_pair {
  int read = -1;
  int write = -1;
  pipe_pair() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      throw runtime_error(fmt::format("cannot create a pipe for the run's worker: {}", std::strerror(errno)));
    }
    read = fds[0];
    write = fds[1];
  }
};

}  // namespace posix_worker
namespace {

using posix_worker::pipe_pair;

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// Between fork and exec: only async-signal-safe calls.
[[noreturn]] void exec_worker(const char* exe, char* const* argv, const pipe_pair& in, const pipe_pair& out,
                              const pipe_pair& err, pid_t supervisor) {
#ifdef __linux__
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
  if (::getppid() != supervisor) ::_exit(127);
  ::setsid();
  for (const int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT}) ::signal(sig, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  if (::dup2(in.read, 0) < 0 || ::dup2(out.write, 1) < 0 || ::dup2(err.write, 2) < 0) ::_exit(127);
  ::execv(exe, argv);
  ::_exit(127);
}

const char* signal_name(int sig) {
  switch (sig) {
    case SIGSEGV:
      return "SIGSEGV";
    case SIGABRT:
      return "SIGABRT";
    case SIGKILL:
      return "SIGKILL";
    case SIGTERM:
      return "SIGTERM";
    case SIGBUS:
      return "SIGBUS";
    case SIGFPE:
      return "SIGFPE";
    case SIGILL:
      return "SIGILL";
    default:
      return "signal";
  }
}

/// What a reader still takes from a pipe after stop_reading(): the worker's own output is all there,
/// but something it started may keep writing.
constexpr std::size_t max_read_after_stop = 1024 * 1024;

}  // namespace

std::string worker_exit::describe() const {
  if (exited) return fmt::format("exited with status {}", code);
  return fmt::format("was killed by signal {} ({})", signal, signal_name(signal));
}

struct worker_process::impl {
  pid_t pid = -1;
  int in = -1, out = -1, err = -1;
  pipe_pair wake;  ///< written by stop_reading(): wakes the readers
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> read_after_stop{0};
  bool reaped = false;
  worker_exit ended;
  std::mutex wait_mutex;
};

worker_process::worker_process(const std::vector<std::string>& args) : impl_(std::make_unique<impl>()) {
  const std::string exe = current_executable().string();
  std::vector<std::string> storage{exe};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : storage) argv.push_back(a.data());
  argv.push_back(nullptr);
  pipe_pair in, out, err;
  const pid_t supervisor = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) throw runtime_error(fmt::format("cannot start the run's worker: {}", std::strerror(errno)));
  if (pid == 0) exec_worker(exe.c_str(), argv.data(), in, out, err, supervisor);
  impl_->pid = pid;
  ::close(in.read);
  ::close(out.write);
  ::close(err.write);
  impl_->in = in.write;
  impl_->out = out.read;
  impl_->err = err.read;
}

worker_process::~worker_process() {
  if (!impl_->reaped) {
    kill();
    wait();
  }
  close_fd(impl_->in);
  close_fd(impl_->out);
  close_fd(impl_->err);
  close_fd(impl_->wake.read);
  close_fd(impl_->wake.write);
}

bool worker_process::write_input(const std::string& bytes) {
  std::size_t done = 0;
  while (impl_->in >= 0 && done < bytes.size()) {
    const ssize_t n = ::write(impl_->in, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;  // EPIPE: SIGPIPE is ignored by the supervisor
    done += static_cast<std::size_t>(n);
  }
  return impl_->in >= 0;
}

void worker_process::close_input() { close_fd(impl_->in); }

std::size_t worker_process::read_output(int stream, char* buffer, std::size_t size) {
  const int fd = stream == 1 ? impl_->out : impl_->err;
  for (;;) {
    const bool stopping = impl_->stopping.load();
    if (stopping && impl_->read_after_stop.load() >= max_read_after_stop) return 0;
    pollfd fds[2] = {{fd, POLLIN, 0}, {impl_->wake.read, POLLIN, 0}};
    // Once stopping: only what is in the pipe now (the worker is gone; what it wrote is all there).
    const int ready = ::poll(fds, stopping ? 1 : 2, stopping ? 0 : -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0) return 0;
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
      if (stopping) return 0;  // nothing left in the pipe
      continue;                // woken by stop_reading: look again without waiting
    }
    const ssize_t n = ::read(fd, buffer, size);
    if (n < 0 && errno == EINTR) continue;
    if (n > 0 && stopping) impl_->read_after_stop += static_cast<std::size_t>(n);
    return n > 0 ? static_cast<std::size_t>(n) : 0;
  }
}

void worker_process::stop_reading() {
  if (impl_->stopping.exchange(true)) return;
  const char byte = 1;
  while (::write(impl_->wake.write, &byte, 1) < 0 && errno == EINTR) {
  }
}

bool worker_process::has_exited() {
  std::lock_guard<std::mutex> lock(impl_->wait_mutex);
  if (impl_->reaped) return true;
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(impl_->pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return false;
  return info.si_pid == impl_->pid;
}

void worker_process::kill() {
  if (impl_->pid <= 0 || impl_->reaped) return;
  ::kill(-impl_->pid, SIGKILL);
  ::kill(impl_->pid, SIGKILL);
}

worker_exit worker_process::wait() {
  std::lock_guard<std::mutex> lock(impl_->wait_mutex);
  if (impl_->reaped) return impl_->ended;
  // Waits without reaping, so that the worker's process group id stays reserved while whatever the
  // worker started in its group is killed.
  siginfo_t info{};
  while (::waitid(P_PID, static_cast<id_t>(impl_->pid), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR) {
  }
  ::kill(-impl_->pid, SIGKILL);
  int status = 0;
  pid_t r = -1;
  do {
    r = ::waitpid(impl_->pid, &status, 0);
  } while (r < 0 && errno == EINTR);
  impl_->reaped = true;
  if (r == impl_->pid && WIFEXITED(status)) {
    impl_->ended.exited = true;
    impl_->ended.code = WEXITSTATUS(status);
  } else if (r == impl_->pid && WIFSIGNALED(status)) {
    impl_->ended.signal = WTERMSIG(status);
  }
  return impl_->ended;
}

struct result_channel::impl {
  int fd = -1;
  std::mutex mutex;
};

result_channel::result_channel() : impl_(std::make_unique<impl>()) {
  std::fflush(stdout);
  impl_->fd = ::fcntl(1, F_DUPFD_CLOEXEC, 3);
  if (impl_->fd < 0 || ::dup2(2, 1) < 0) {
    throw runtime_error(fmt::format("worker: cannot set up the channel to the supervisor: {}", std::strerror(errno)));
  }
}

result_channel::~result_channel() { close_fd(impl_->fd); }

bool result_channel::send_line(const std::string& line) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  const std::string bytes = line + "\n";
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(impl_->fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::filesystem::path current_executable() {
#ifdef __linux__
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) return p;
#endif
  throw runtime_error("cannot find the path of the running smharden program");
}

}  // namespace smharden::core
