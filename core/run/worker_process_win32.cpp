// worker_process on Windows: CreateProcess with three pipes, in a new process
// group (the console's Ctrl-C reaches only the supervisor) and a job object
// that kills the worker and everything it started when the supervisor
// terminates the job or its last handle closes (the supervisor died).
#include <windows.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <io.h>

#include <cstdio>
#include <mutex>

#include "base/errors.hpp"
#include "run/worker_process.hpp"
#include "services/win32_text.hpp"

namespace smharden::core {
namespace {

void close_handle(HANDLE& h) {
  if (h != nullptr && h != INVALID_HANDLE_VALUE) CloseHandle(h);
  h = nullptr;
}

[[noreturn]] void fail(const char* what) {
  throw runtime_error(fmt::format("cannot start the run's worker: {} (error {})", what, GetLastError()));
}

/// One argument quoted the way CommandLineToArgvW and the CRT read it back.
std::wstring quoted(const std::wstring& arg) {
  if (!arg.empty() && arg.find_first_of(L" \t\n\v\"") == std::wstring::npos) return arg;
  std::wstring out = L"\"";
  std::size_t backslashes = 0;
  for (const wchar_t c : arg) {
    if (c == L'\\') {
      ++backslashes;
      continue;
    }
    out.append(c == L'"' ? backslashes * 2 + 1 : backslashes, L'\\');
    backslashes = 0;
    out.push_back(c);
  }
  out.append(backslashes * 2, L'\\');
  out.push_back(L'"');
  return out;
}

/// A pipe whose `parent` end is not inherited.
void make_pipe(HANDLE& read, HANDLE& write, bool parent_reads) {
  SECURITY_ATTRIBUTES sa{sizeof(sa), nullptr, TRUE};
  if (!CreatePipe(&read, &write, &sa, 0)) fail("CreatePipe");
  SetHandleInformation(parent_reads ? read : write, HANDLE_FLAG_INHERIT, 0);
}

}  // namespace

std::string worker_exit::describe() const {
  const auto status = static_cast<unsigned long>(code);
  if (status == 0xC0000005UL) return "ended with status 0xC0000005 (access violation)";
  if (status == 0xC0000409UL) return "ended with status 0xC0000409 (stack buffer overrun / fail fast)";
  if (status >= 0xC0000000UL) return fmt::format("ended with status 0x{:08X} (an exception)", status);
  if (status == 3) return "exited with status 3 (abort)";
  return fmt::format("exited with status {}", code);
}

struct worker_process::impl {
  HANDLE process = nullptr;
  HANDLE job = nullptr;
  HANDLE in = nullptr, out = nullptr, err = nullptr;
  bool reaped = false;
  worker_exit ended;
  std::mutex wait_mutex;
};

worker_process::worker_process(const std::vector<std::string>& args) : impl_(std::make_unique<impl>()) {
  const std::wstring exe = current_executable().wstring();
  std::wstring command = quoted(exe);
  for (const auto& a : args) command += L" " + quoted(services::win32::to_wide(a, "a worker argument"));
  HANDLE in_read = nullptr, out_write = nullptr, err_write = nullptr;
  make_pipe(in_read, impl_->in, false);
  make_pipe(impl_->out, out_write, true);
  make_pipe(impl_->err, err_write, true);

  impl_->job = CreateJobObjectW(nullptr, nullptr);
  if (impl_->job == nullptr) fail("CreateJobObject");
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION limits{};
  limits.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
  if (!SetInformationJobObject(impl_->job, JobObjectExtendedLimitInformation, &limits, sizeof(limits))) {
    fail("SetInformationJobObject");
  }
  STARTUPINFOW si{};
  si.cb = sizeof(si);
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = in_read;
  si.hStdOutput = out_write;
  si.hStdError = err_write;
  PROCESS_INFORMATION pi{};
  const BOOL started = CreateProcessW(exe.c_str(), command.data(), nullptr, nullptr, TRUE,
                                      CREATE_SUSPENDED | CREATE_NEW_PROCESS_GROUP, nullptr, nullptr, &si, &pi);
  close_handle(in_read);
  close_handle(out_write);
  close_handle(err_write);
  if (!started) fail("CreateProcess");
  if (!AssignProcessToJobObject(impl_->job, pi.hProcess)) {
    TerminateProcess(pi.hProcess, 1);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    fail("AssignProcessToJobObject");
  }
  ResumeThread(pi.hThread);
  CloseHandle(pi.hThread);
  impl_->process = pi.hProcess;
}

worker_process::~worker_process() {
  if (!impl_->reaped) {
    kill();
    wait();
  }
  close_handle(impl_->in);
  close_handle(impl_->out);
  close_handle(impl_->err);
  close_handle(impl_->process);
  close_handle(impl_->job);
}

bool worker_process::write_input(const std::string& bytes) {
  std::size_t done = 0;
  while (impl_->in != nullptr && done < bytes.size()) {
    DWORD n = 0;
    if (!WriteFile(impl_->in, bytes.data() + done, static_cast<DWORD>(bytes.size() - done), &n, nullptr) || n == 0) {
      return false;
    }
    done += n;
  }
  return impl_->in != nullptr;
}

void worker_process::close_input() { close_handle(impl_->in); }

std::size_t worker_process::read_output(int stream, char* buffer, std::size_t size) {
  DWORD n = 0;
  if (!ReadFile(stream == 1 ? impl_->out : impl_->err, buffer, static_cast<DWORD>(size), &n, nullptr)) return 0;
  return n;
}

// The job object holds everything the worker started, so kill() closes every end of the pipes;
// nothing is left to stop here.
void worker_process::stop_reading() {}

bool worker_process::has_exited() {
  std::lock_guard<std::mutex> lock(impl_->wait_mutex);
  return impl_->reaped || WaitForSingleObject(impl_->process, 0) == WAIT_OBJECT_0;
}

void worker_process::kill() {
  if (impl_->job != nullptr) TerminateJobObject(impl_->job, 1);
}

worker_exit worker_process::wait() {
  std::lock_guard<std::mutex> lock(impl_->wait_mutex);
  if (impl_->reaped) return impl_->ended;
  WaitForSingleObject(impl_->process, INFINITE);
  DWORD code = 0;
  GetExitCodeProcess(impl_->process, &code);
  impl_->reaped = true;
  impl_->ended.exited = true;
  impl_->ended.code = static_cast<int>(code);
  TerminateJobObject(impl_->job, 1);  // whatever the worker started goes with it
  return impl_->ended;
}

struct result_channel::impl {
  HANDLE handle = nullptr;
  std::mutex mutex;
};

result_channel::result_channel() : impl_(std::make_unique<impl>()) {
  std::fflush(stdout);
  HANDLE original = GetStdHandle(STD_OUTPUT_HANDLE);
  if (!DuplicateHandle(GetCurrentProcess(), original, GetCurrentProcess(), &impl_->handle, 0, FALSE,
                       DUPLICATE_SAME_ACCESS)) {
    throw runtime_error(fmt::format("worker: cannot set up the channel to the supervisor (error {})", GetLastError()));
  }
  // The CRT's stdout (printf, std::cout) and the Win32 standard output both go to stderr now.
  _dup2(_fileno(stderr), _fileno(stdout));
  SetStdHandle(STD_OUTPUT_HANDLE, GetStdHandle(STD_ERROR_HANDLE));
}

result_channel::~result_channel() { close_handle(impl_->handle); }

bool result_channel::send_line(const std::string& line) {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  const std::string bytes = line + "\n";
  std::size_t done = 0;
  while (done < bytes.size()) {
    DWORD n = 0;
    if (!WriteFile(impl_->handle, bytes.data() + done, static_cast<DWORD>(bytes.size() - done), &n, nullptr) ||
        n == 0) {
      return false;
    }
    done += n;
  }
  return true;
}

std::filesystem::path current_executable() {
  std::wstring buffer(MAX_PATH, L'\0');
  for (;;) {
    const DWORD n = GetModuleFileNameW(nullptr, buffer.data(), static_cast<DWORD>(buffer.size()));
    if (n == 0) throw runtime_error("cannot find the path of the running smharden program");
    if (n < buffer.size()) {
      buffer.resize(n);
      return std::filesystem::path(buffer);
    }
    buffer.resize(buffer.size() * 2);
  }
}

}  // namespace smharden::core
