// The Win32 backend against the real Win32 API, run under Wine by
// tests/wine/run-wine-tests. Under Wine 8 the service control manager really
// works, so the whole service path (read config, set logon, start, stop,
// failed start) is exercised for real. Users, LSA rights and ACL writes are
// stubs under Wine (they report success and change nothing, NetUserSetInfo
// aborts the process), so only their read and error paths are called here;
// their logic is tested on Linux (tests/services/windows, tests/services/windows/win32).
//
// SMHARDEN_DUMMY_SERVICE: Windows path of dummy_service.exe.
#include <windows.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "service_error_text.hpp"
#include "services/service_registry.hpp"
#include "services/windows/win32/win32_backend.hpp"

using namespace smharden::services;
using namespace smharden::services::windows;
using smharden::test::service_error_text;

namespace {

std::wstring widen(const std::string& s) { return std::wstring(s.begin(), s.end()); }

std::string dummy_service_path() {
  const char* path = std::getenv("SMHARDEN_DUMMY_SERVICE");
  REQUIRE(path != nullptr);
  REQUIRE(std::filesystem::exists(path));
  return path;
}

// Creates a demand-start service with the raw API (creating services is not
// part of the backend) and deletes it again, stopping it first if needed.
class scratch_service {
 public:
  scratch_service(std::string name, const std::string& command_line) : name_(std::move(name)) {
    scm_ = OpenSCManagerW(nullptr, nullptr, SC_MANAGER_ALL_ACCESS);
    REQUIRE(scm_ != nullptr);
    svc_ = CreateServiceW(scm_, widen(name_).c_str(), L"smharden Wine test service", SERVICE_ALL_ACCESS,
                          SERVICE_WIN32_OWN_PROCESS, SERVICE_DEMAND_START, SERVICE_ERROR_NORMAL,
                          widen(command_line).c_str(), nullptr, nullptr, nullptr, nullptr, nullptr);
    INFO("CreateServiceW error " << GetLastError());
    REQUIRE(svc_ != nullptr);
  }
  scratch_service(const scratch_service&) = delete;
  scratch_service& operator=(const scratch_service&) = delete;
  ~scratch_service() {
    SERVICE_STATUS status{};
    ControlService(svc_, SERVICE_CONTROL_STOP, &status);
    for (int i = 0; i < 50 && QueryServiceStatus(svc_, &status) && status.dwCurrentState != SERVICE_STOPPED; ++i) {
      Sleep(100);
    }
    DeleteService(svc_);
    CloseServiceHandle(svc_);
    CloseServiceHandle(scm_);
  }
  const std::string& name() const { return name_; }
  DWORD process_id() const {
    SERVICE_STATUS_PROCESS status{};
    DWORD needed = 0;
    QueryServiceStatusEx(svc_, SC_STATUS_PROCESS_INFO, reinterpret_cast<LPBYTE>(&status), sizeof(status), &needed);
    return status.dwProcessId;
  }
  bool remove() {
    const bool ok = DeleteService(svc_) != 0;
    CloseServiceHandle(svc_);
    svc_ = nullptr;
    return ok;
  }

 private:
  std::string name_;
  SC_HANDLE scm_ = nullptr;
  SC_HANDLE svc_ = nullptr;
};

std::string unique_name(const char* prefix) { return prefix + std::to_string(GetCurrentProcessId()); }

}  // namespace

TEST_CASE("SCM: create, read config, set logon, start, stop, delete") {
  win32::win32_backend backend;
  const std::string name = unique_name("smharden-wine-");
  REQUIRE_FALSE(backend.get_service(name).has_value());

  scratch_service svc(name, dummy_service_path());

  auto info = backend.get_service(name);
  REQUIRE(info.has_value());
  CHECK(info->name == name);
  CHECK(info->display_name == "smharden Wine test service");
  CHECK(info->account == "LocalSystem");
  CHECK(info->binary_path.find("dummy_service.exe") != std::string::npos);
  CHECK(info->start_type == service_start_type::demand);
  CHECK(info->state == service_state::stopped);

  backend.start_service(name);
  CHECK(backend.get_service(name)->state == service_state::running);
  CHECK(svc.process_id() != 0);
  backend.start_service(name);  // already running: no-op
  CHECK(backend.get_service(name)->state == service_state::running);

  backend.stop_service(name);
  CHECK(backend.get_service(name)->state == service_state::stopped);
  CHECK(svc.process_id() == 0);
  backend.stop_service(name);  // already stopped: no-op
  CHECK(backend.get_service(name)->state == service_state::stopped);

  backend.set_service_logon(name, ".\\smsvc", std::string("Not-a-real-secret-1"));
  CHECK(backend.get_service(name)->account == ".\\smsvc");
  // Wine starts the service as the Unix user whatever the account; on Windows
  // this needs SeServiceLogonRight and the right password.
  backend.start_service(name);
  CHECK(backend.get_service(name)->state == service_state::running);
  backend.stop_service(name);

  backend.set_service_logon(name, ".\\other", std::nullopt);  // keep the stored password (lpPassword NULL)
  CHECK(backend.get_service(name)->account == ".\\other");
  backend.set_service_logon(name, "LocalSystem", std::string());
  CHECK(backend.get_service(name)->account == "LocalSystem");
  CHECK(backend.get_service(name)->state == service_state::stopped);

  CHECK(svc.remove());
  CHECK_FALSE(backend.get_service(name).has_value());
}

TEST_CASE("SCM: a service that stops during start is a failed start with its exit code") {
  win32::win32_backend backend;
  scratch_service svc(unique_name("smharden-wine-fail-"), dummy_service_path() + " --fail-start");
  const std::string error = service_error_text([&] { backend.start_service(svc.name()); });
  INFO(error);
  CHECK(error.rfind("failed: ", 0) == 0);
  CHECK(error.find("service-specific exit code 42") != std::string::npos);
  CHECK(backend.get_service(svc.name())->state == service_state::stopped);
}

TEST_CASE("SCM: a missing service is nullopt on read and not_found on control") {
  win32::win32_backend backend;
  const std::string name = "smharden-no-such-service";
  CHECK_FALSE(backend.get_service(name).has_value());
  for (const auto& error : {service_error_text([&] { backend.stop_service(name); }),
                            service_error_text([&] { backend.start_service(name); }), service_error_text([&] {
                              backend.set_service_logon(name, "LocalSystem", std::string());
                            })}) {
    INFO(error);
    CHECK(error.rfind("not_found: OpenServiceW(smharden-no-such-service) failed: ERROR_SERVICE_DOES_NOT_EXIST (1060)",
                      0) == 0);
  }
}

TEST_CASE("accounts: well-known names and SIDs resolve, unknown names do not") {
  win32::win32_backend backend;
  CHECK_FALSE(backend.computer_name().empty());

  const auto admins = backend.lookup_account("Administrators");
  REQUIRE(admins.has_value());
  CHECK(admins->sid == "S-1-5-32-544");
  CHECK(backend.lookup_account("BUILTIN\\Administrators")->sid == "S-1-5-32-544");
  // The SCM's alias for the SYSTEM account.
  CHECK(backend.lookup_account("LocalSystem")->sid == "S-1-5-18");
  CHECK(backend.lookup_account("NT AUTHORITY\\SYSTEM")->sid == "S-1-5-18");
  const auto users = backend.lookup_account("S-1-5-32-545");
  REQUIRE(users.has_value());
  CHECK(users->name == "Users");
  CHECK_FALSE(backend.lookup_account("smharden-no-such-user").has_value());
}

TEST_CASE("users and rights: read paths and errors (writes are stubs under Wine)") {
  win32::win32_backend backend;
  CHECK_FALSE(backend.get_user("smharden-no-such-user").has_value());
  CHECK(service_error_text([&] { (void)backend.get_user("OTHERDOMAIN\\someone"); }).rfind("invalid_params: ", 0) == 0);
  // Wine's LSA answers STATUS_OBJECT_NAME_NOT_FOUND for every account: "no rights", not an error.
  CHECK_NOTHROW(backend.account_rights("BUILTIN\\Users"));
  const std::string missing = service_error_text([&] { (void)backend.account_rights("smharden-no-such-user"); });
  INFO(missing);
  CHECK(missing.rfind("not_found: ", 0) == 0);
  CHECK(missing.find("ERROR_NONE_MAPPED (1332)") != std::string::npos);
  CHECK(service_error_text([&] { backend.grant_right("Users", "not a right"); }).rfind("invalid_params: ", 0) == 0);
}

TEST_CASE("ACL: a folder's DACL is read, a missing folder is not_found, a file is refused") {
  win32::win32_backend backend;
  const auto dir = std::filesystem::temp_directory_path() / unique_name("smharden-acl-");
  std::filesystem::create_directories(dir);
  const folder_acl acl = backend.get_acl(dir.string());
  CHECK(acl.path == dir.string());
  REQUIRE_FALSE(acl.aces.empty());
  bool system_full = false;
  for (const auto& a : acl.aces) {
    CHECK_FALSE(a.sid.empty());
    CHECK_FALSE(a.trustee.empty());
    if (a.sid == "S-1-5-18" && a.type == ace_type::allow &&
        (a.mask & access_mask::full_control) == access_mask::full_control) {
      system_full = true;
      CHECK(a.trustee == "NT AUTHORITY\\SYSTEM");
    }
  }
  CHECK(system_full);
  // No explicit ACE for this trustee: nothing is written.
  CHECK_NOTHROW(backend.revoke_aces(dir.string(), "S-1-5-32-546"));

  const std::string missing = service_error_text([&] { (void)backend.get_acl((dir / "missing").string()); });
  INFO(missing);
  CHECK(missing.rfind("not_found: GetFileAttributesW(", 0) == 0);

  const auto file = dir / "file.txt";
  std::ofstream(file) << "x";
  CHECK(service_error_text([&] { (void)backend.get_acl(file.string()); }).rfind("invalid_params: ", 0) == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("input that is not valid UTF-8 is refused before any call") {
  win32::win32_backend backend;
  CHECK(service_error_text([&] {
          (void)backend.get_service(std::string("bad\xff", 4));
        }).rfind("invalid_params: ", 0) == 0);
}
