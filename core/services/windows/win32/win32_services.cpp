// Services through the SCM: OpenSCManagerW/OpenServiceW, QueryServiceConfigW,
// QueryServiceStatusEx, ChangeServiceConfigW, ControlService, StartServiceW.
#ifdef _WIN32

#include <windows.h>

#include <fmt/format.h>

#include <algorithm>

#include "services/service_registry.hpp"
#include "services/windows/win32/service_wait.hpp"
#include "services/windows/win32/win32_backend.hpp"
#include "services/windows/win32/win32_errors.hpp"
#include "services/windows/win32/win32_util.hpp"

namespace smharden::services::windows::win32 {
namespace {

class sc_handle {
 public:
  explicit sc_handle(SC_HANDLE h) : handle_(h) {}
  sc_handle(sc_handle&& other) noexcept : handle_(other.handle_) { other.handle_ = nullptr; }
  sc_handle(const sc_handle&) = delete;
  sc_handle& operator=(const sc_handle&) = delete;
  sc_handle& operator=(sc_handle&&) = delete;
  ~sc_handle() {
    if (handle_ != nullptr) CloseServiceHandle(handle_);
  }
  SC_HANDLE get() const { return handle_; }
  explicit operator bool() const { return handle_ != nullptr; }

 private:
  SC_HANDLE handle_;
};

sc_handle open_manager() {
  sc_handle scm(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT));
  if (!scm) throw_win32("OpenSCManagerW", "", GetLastError());
  return scm;
}

// An empty handle when the service does not exist and `missing_ok`.
sc_handle open_service(const sc_handle& scm, const std::string& name, DWORD access, bool missing_ok) {
  const std::wstring wname = to_wide(name, "service name");
  sc_handle svc(OpenServiceW(scm.get(), wname.c_str(), access));
  if (!svc) {
    const DWORD err = GetLastError();
    if (missing_ok && err == ERROR_SERVICE_DOES_NOT_EXIST) return svc;
    throw_win32("OpenServiceW", name, err);
  }
  return svc;
}

service_state state_from(DWORD state) {
  switch (state) {
    case SERVICE_START_PENDING:
      return service_state::start_pending;
    case SERVICE_STOP_PENDING:
      return service_state::stop_pending;
    case SERVICE_RUNNING:
      return service_state::running;
    case SERVICE_CONTINUE_PENDING:
      return service_state::continue_pending;
    case SERVICE_PAUSE_PENDING:
      return service_state::pause_pending;
    case SERVICE_PAUSED:
      return service_state::paused;
    default:
      return service_state::stopped;
  }
}

service_start_type start_type_from(DWORD type) {
  switch (type) {
    case SERVICE_BOOT_START:
      return service_start_type::boot;
    case SERVICE_SYSTEM_START:
      return service_start_type::system;
    case SERVICE_AUTO_START:
      return service_start_type::automatic;
    case SERVICE_DISABLED:
      return service_start_type::disabled;
    default:
      return service_start_type::demand;
  }
}

service_status_sample query_status(const sc_handle& svc, const std::string& name) {
  SERVICE_STATUS_PROCESS status{};
  DWORD needed = 0;
  if (!QueryServiceStatusEx(svc.get(), SC_STATUS_PROCESS_INFO, reinterpret_cast<LPBYTE>(&status), sizeof(status),
                            &needed)) {
    throw_win32("QueryServiceStatusEx", name, GetLastError());
  }
  service_status_sample s;
  s.state = state_from(status.dwCurrentState);
  s.checkpoint = status.dwCheckPoint;
  s.wait_hint_ms = status.dwWaitHint;
  s.win32_exit_code = status.dwWin32ExitCode;
  s.service_exit_code = status.dwServiceSpecificExitCode;
  return s;
}

void wait_for(const sc_handle& svc, const std::string& name, service_state target, const service_wait_limits& limits,
              const char* operation) {
  service_wait_io io;
  io.query = [&] { return query_status(svc, name); };
  io.sleep = [](std::uint32_t ms) { Sleep(ms); };
  io.now_ms = [] { return static_cast<std::uint64_t>(GetTickCount64()); };
  const service_wait_outcome outcome = wait_for_service_state(target, io, limits);
  if (outcome.result == service_wait_result::reached) return;
  const std::uint32_t exit_code = outcome.last.win32_exit_code;
  std::string why = describe_service_wait_failure(target, outcome);
  // A start that failed with a known Win32 code (1069 logon failure, ...): name it.
  if (outcome.result == service_wait_result::stopped && exit_code != 0 && exit_code != 1066) {
    why += "; " + win32_error_message(operation, name, exit_code);
  }
  throw service_error("failed", fmt::format("{} {}: {}", operation, name, why));
}

}  // namespace

std::optional<service_info> win32_backend::get_service(const std::string& name) const {
  const sc_handle scm = open_manager();
  const sc_handle svc = open_service(scm, name, SERVICE_QUERY_CONFIG | SERVICE_QUERY_STATUS, true);
  if (!svc) return std::nullopt;
  DWORD needed = 0;
  QueryServiceConfigW(svc.get(), nullptr, 0, &needed);
  DWORD err = GetLastError();
  if (err != ERROR_INSUFFICIENT_BUFFER) throw_win32("QueryServiceConfigW", name, err);
  std::vector<BYTE> buffer(needed);
  auto* config = reinterpret_cast<QUERY_SERVICE_CONFIGW*>(buffer.data());
  if (!QueryServiceConfigW(svc.get(), config, needed, &needed)) {
    throw_win32("QueryServiceConfigW", name, GetLastError());
  }
  service_info info;
  info.name = name;
  info.display_name = to_utf8(config->lpDisplayName);
  info.account = to_utf8(config->lpServiceStartName);
  info.binary_path = to_utf8(config->lpBinaryPathName);
  info.start_type = start_type_from(config->dwStartType);
  info.state = query_status(svc, name).state;
  return info;
}

std::vector<std::string> win32_backend::service_names() const {
  const sc_handle scm(OpenSCManagerW(nullptr, nullptr, SC_MANAGER_CONNECT | SC_MANAGER_ENUMERATE_SERVICE));
  if (!scm) throw_win32("OpenSCManagerW", "", GetLastError());
  std::vector<std::string> out;
  std::vector<BYTE> buffer(64 * 1024);
  DWORD resume = 0;
  while (true) {
    DWORD needed = 0;
    DWORD count = 0;
    const BOOL ok =
        EnumServicesStatusExW(scm.get(), SC_ENUM_PROCESS_INFO, SERVICE_WIN32, SERVICE_STATE_ALL, buffer.data(),
                              static_cast<DWORD>(buffer.size()), &needed, &count, &resume, nullptr);
    const DWORD err = ok ? ERROR_SUCCESS : GetLastError();
    if (!ok && err != ERROR_MORE_DATA) throw_win32("EnumServicesStatusExW", "", err);
    const auto* items = reinterpret_cast<const ENUM_SERVICE_STATUS_PROCESSW*>(buffer.data());
    for (DWORD i = 0; i < count; ++i) out.push_back(to_utf8(items[i].lpServiceName));
    if (ok) return out;
    if (count == 0) buffer.resize(std::max<std::size_t>(buffer.size() * 2, needed));
  }
}

void win32_backend::set_service_logon(const std::string& name, const std::string& account,
                                      const std::optional<std::string>& password) {
  const sc_handle scm = open_manager();
  const sc_handle svc = open_service(scm, name, SERVICE_CHANGE_CONFIG, false);
  const std::wstring waccount = to_wide(account, "account");
  std::wstring secret = password ? to_wide(*password, "password") : std::wstring();
  const BOOL ok = ChangeServiceConfigW(svc.get(), SERVICE_NO_CHANGE, SERVICE_NO_CHANGE, SERVICE_NO_CHANGE, nullptr,
                                       nullptr, nullptr, nullptr, waccount.c_str(),
                                       password ? secret.c_str() : nullptr,  // NULL: keep the stored password
                                       nullptr);
  const DWORD err = ok ? ERROR_SUCCESS : GetLastError();
  wipe(secret);
  if (!ok) throw_win32("ChangeServiceConfigW", name + " (logon " + account + ")", err);
}

void win32_backend::stop_service(const std::string& name) {
  const sc_handle scm = open_manager();
  const sc_handle svc = open_service(scm, name, SERVICE_STOP | SERVICE_QUERY_STATUS, false);
  const service_status_sample now = query_status(svc, name);
  if (now.state == service_state::stopped) return;
  if (now.state != service_state::stop_pending) {
    SERVICE_STATUS status{};
    if (!ControlService(svc.get(), SERVICE_CONTROL_STOP, &status)) {
      const DWORD err = GetLastError();
      // Stopped between the query and the control: nothing left to do.
      if (err == ERROR_SERVICE_NOT_ACTIVE) return;
      throw_win32("ControlService(STOP)", name, err);
    }
  }
  wait_for(svc, name, service_state::stopped, limits_, "stop service");
}

void win32_backend::start_service(const std::string& name) {
  const sc_handle scm = open_manager();
  const sc_handle svc = open_service(scm, name, SERVICE_START | SERVICE_QUERY_STATUS, false);
  service_status_sample now = query_status(svc, name);
  if (now.state == service_state::running) return;
  if (now.state == service_state::stop_pending) {
    wait_for(svc, name, service_state::stopped, limits_, "start service (waiting for the pending stop)");
    now.state = service_state::stopped;
  }
  if (now.state == service_state::stopped) {
    if (!StartServiceW(svc.get(), 0, nullptr)) {
      const DWORD err = GetLastError();
      if (err != ERROR_SERVICE_ALREADY_RUNNING) throw_win32("StartServiceW", name, err);
    }
  }
  wait_for(svc, name, service_state::running, limits_, "start service");
}

}  // namespace smharden::services::windows::win32

#endif  // _WIN32
