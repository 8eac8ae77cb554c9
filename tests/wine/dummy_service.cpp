// A minimal Windows service for the SCM test under Wine: reports
// START_PENDING with a growing checkpoint, then RUNNING, and stops on
// SERVICE_CONTROL_STOP via STOP_PENDING. With "--fail-start" on its command
// line it stops during start with service-specific exit code 42, which the
// backend must report as a failed start.
#include <windows.h>

#include <cstring>

namespace {

SERVICE_STATUS_HANDLE status_handle = nullptr;
HANDLE stop_event = nullptr;
bool fail_start = false;
DWORD checkpoint = 0;

void report(DWORD state, DWORD wait_hint_ms = 0, DWORD win32_exit = NO_ERROR, DWORD service_exit = 0) {
  SERVICE_STATUS status{};
  status.dwServiceType = SERVICE_WIN32_OWN_PROCESS;
  status.dwCurrentState = state;
  status.dwControlsAccepted = state == SERVICE_RUNNING ? SERVICE_ACCEPT_STOP : 0;
  status.dwWin32ExitCode = win32_exit;
  status.dwServiceSpecificExitCode = service_exit;
  const bool pending = state == SERVICE_START_PENDING || state == SERVICE_STOP_PENDING;
  status.dwCheckPoint = pending ? ++checkpoint : 0;
  status.dwWaitHint = wait_hint_ms;
  SetServiceStatus(status_handle, &status);
}

DWORD WINAPI control_handler(DWORD control, DWORD, void*, void*) {
  if (control == SERVICE_CONTROL_STOP) {
    report(SERVICE_STOP_PENDING, 2000);
    SetEvent(stop_event);
    return NO_ERROR;
  }
  return control == SERVICE_CONTROL_INTERROGATE ? NO_ERROR : ERROR_CALL_NOT_IMPLEMENTED;
}

void WINAPI service_main(DWORD, LPWSTR*) {
  status_handle = RegisterServiceCtrlHandlerExW(L"smharden-dummy", control_handler, nullptr);
  if (status_handle == nullptr) return;
  // A start that takes a few polls, so the backend's wait loop really waits.
  for (int i = 0; i < 3; ++i) {
    report(SERVICE_START_PENDING, 2000);
    Sleep(150);
  }
  if (fail_start) {
    report(SERVICE_STOPPED, 0, ERROR_SERVICE_SPECIFIC_ERROR, 42);
    return;
  }
  stop_event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
  report(SERVICE_RUNNING);
  WaitForSingleObject(stop_event, INFINITE);
  Sleep(150);
  report(SERVICE_STOPPED);
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--fail-start") == 0) fail_start = true;
  }
  wchar_t name[] = L"smharden-dummy";
  SERVICE_TABLE_ENTRYW table[] = {{name, service_main}, {nullptr, nullptr}};
  return StartServiceCtrlDispatcherW(table) ? 0 : static_cast<int>(GetLastError());
}
