// A fresh Windows lab in a temporary folder with the windows service over it,
// for the lab backend and service tests.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "base/atomic_file.hpp"
#include "service_lab.hpp"
#include "services/windows/lab_backend.hpp"
#include "services/windows/windows_service.hpp"

namespace smharden::test {

/// The lab's data folder (C:\SmarterMail) and a password that meets the lab's policy.
inline const std::string data_dir = "C:\\SmarterMail";
inline constexpr const char* strong = "Str0ng!Passw0rd#1";

/// The code of the service_error `fn` throws, or "" when it throws none.
inline std::string code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const services::service_error& e) {
    return e.code();
  }
  return "";
}

struct windows_lab : service_lab {
  explicit windows_lab(services::target_kind kind = services::target_kind::lab, bool seed = true)
      : service_lab("smharden-windows") {
    if (seed) services::windows::seed_windows_lab(dir.path());
    attach(services::windows::make_windows_service(make_target(kind), env));
  }

  std::filesystem::path state_file() const { return dir.path() / "windows" / "state.json"; }
  std::string state_text() const { return util::read_file(state_file()); }

  services::windows::lab_backend backend(bool writable = true) {
    services::windows::lab_backend::options o;
    o.state_file = state_file();
    o.writable = writable;
    return services::windows::lab_backend(o);
  }
};

}  // namespace smharden::test
