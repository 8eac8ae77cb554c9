// Shared helpers for the iis tests: a temp folder holding an
// applicationHost.config and an iis_service over it.
#pragma once

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "base/atomic_file.hpp"
#include "services/iis/iis_service.hpp"

namespace smharden::test {

using services::json;

inline std::filesystem::path make_temp_dir(const std::string& tag) {
  static std::atomic<int> counter{0};
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() /
             ("smharden-" + tag + "-" + std::to_string(rd()) + "-" + std::to_string(counter++));
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string fixture_text(const std::string& name) {
  return util::read_file(std::filesystem::path(SMHARDEN_SOURCE_DIR) / "tests" / "fixtures" / "iis" / name);
}

/// A lab-like folder <dir>/iis/applicationHost.config with `text`, and the iis service over it.
struct iis_fixture {
  std::filesystem::path dir;
  std::filesystem::path file;
  services::service_env env;
  std::map<std::string, std::string> secrets{{"service_password", "Corr3ct-Horse!battery"}};
  int before_write_calls = 0;
  std::vector<std::filesystem::path> announced;  // every path passed to before_file_write, in order
  std::unique_ptr<services::iis::iis_service> svc;
  services::registry reg;

  explicit iis_fixture(const std::string& text, services::target_kind kind = services::target_kind::lab)
      : dir(make_temp_dir("iis")), file(dir / "iis" / "applicationHost.config") {
    std::filesystem::create_directories(file.parent_path());
    util::write_file_atomic(file, text);
    env.before_file_write = [this](const std::filesystem::path& p) {
      ++before_write_calls;
      announced.push_back(p);
    };
    env.secret = [this](const std::string& name) -> std::optional<std::string> {
      const auto it = secrets.find(name);
      if (it == secrets.end()) return std::nullopt;
      return it->second;
    };
    env.log = [](const std::string&) {};
    services::target t;
    t.kind = kind;
    t.root = dir;
    if (kind == services::target_kind::local) t.config = {{"iis", {{"config", file.string()}}}};
    svc = std::make_unique<services::iis::iis_service>(t, env);
    svc->register_methods(reg);
  }
  ~iis_fixture() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  iis_fixture(const iis_fixture&) = delete;
  iis_fixture& operator=(const iis_fixture&) = delete;

  json call(const std::string& method, const json& params = json::object()) {
    const services::method* m = reg.find(method);
    if (m == nullptr) throw std::logic_error("no method " + method);
    return m->invoke(params);
  }
  services::undo_record undo(const std::string& method, const json& params) { return reg.find(method)->undo(params); }
  /// Replays an undo record's calls, as the engine does for a rollback.
  void replay(const services::undo_record& u) {
    for (const json& c : u.calls) call(c["method"].get<std::string>(), c["params"]);
  }
  std::string on_disk() const { return util::read_file(file); }
};

}  // namespace smharden::test
