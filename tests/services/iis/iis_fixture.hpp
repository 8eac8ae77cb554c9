// The iis tests' fixture: a lab-like folder holding <dir>/iis/applicationHost.config
// with a given text, and the iis service over it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "base/atomic_file.hpp"
#include "service_lab.hpp"
#include "services/iis/iis_service.hpp"

namespace smharden::test {

using services::json;

/// A file of tests/fixtures/iis.
inline std::string fixture_text(const std::string& name) {
  return util::read_file(std::filesystem::path(SMHARDEN_SOURCE_DIR) / "tests" / "fixtures" / "iis" / name);
}

/// The lab's applicationHost.config (a fresh lab's text).
inline std::string lab_text() { return std::string(services::iis::lab_template()); }

struct iis_fixture : service_lab {
  std::filesystem::path file;
  services::iis::iis_service* svc = nullptr;  ///< the attached service, for its own functions

  explicit iis_fixture(const std::string& text, services::target_kind kind = services::target_kind::lab)
      : service_lab("smharden-iis"), file(dir.path() / "iis" / "applicationHost.config") {
    secrets = {{"service_password", "Corr3ct-Horse!battery"}};
    std::filesystem::create_directories(file.parent_path());
    util::write_file_atomic(file, text);
    services::target t = make_target(kind);
    if (kind == services::target_kind::local) t.config = {{"iis", {{"config", file.string()}}}};
    auto iis = std::make_unique<services::iis::iis_service>(t, env);
    svc = iis.get();
    attach(std::move(iis));
  }

  std::string on_disk() const { return util::read_file(file); }
};

}  // namespace smharden::test
