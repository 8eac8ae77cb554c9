// The one place that knows every backend: which service serves which target.
#include <fmt/format.h>

#include "base/atomic_file.hpp"
#include "base/errors.hpp"
#include "services/host_service.hpp"
#include "services/iis/iis_service.hpp"
#include "services/lab/lab_service.hpp"
#include "services/net/net_service.hpp"
#include "services/service.hpp"
#include "services/smartermail/smartermail_service.hpp"
#include "services/windows/windows_service.hpp"

namespace smharden::services {

service_list make_services(const target& t, service_env& env) {
  service_list list;
  list.push_back(make_host_service(t));
  list.push_back(windows::make_windows_service(t, env));
  list.push_back(make_smartermail_service(t, env));
  list.push_back(make_iis_service(t, env));
  list.push_back(make_net_service(t, env));
  // Last: the lab's reachability model answers through the methods the others register.
  if (auto lab = make_lab_service(t, env)) list.push_back(std::move(lab));
  return list;
}

void init_lab(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  if (fs::exists(dir) && !fs::is_directory(dir)) {
    throw core::usage_error(fmt::format("lab init {}: exists and is not a folder", dir.string()));
  }
  if (fs::exists(dir / "target.json")) {
    throw core::usage_error(
        fmt::format("lab init {}: there is a lab here already; delete the folder first to start from a fresh install",
                    dir.string()));
  }
  if (fs::exists(dir) && !fs::is_empty(dir)) {
    throw core::usage_error(
        fmt::format("lab init {}: the folder is not empty; choose an empty or new folder", dir.string()));
  }
  fs::create_directories(dir);
  // Each service family seeds its part of a fresh SmarterMail-on-Windows install.
  windows::seed_windows_lab(dir);
  seed_smartermail_lab(dir);
  seed_iis_lab(dir);
  // target.json is written last: a folder without it is not (yet) a lab.
  const nlohmann::json marker = {{"kind", "lab"}, {"format", 1}, {"created_by", "smharden " SMHARDEN_VERSION}};
  util::write_file_atomic(dir / "target.json", marker.dump(2) + "\n");
}

}  // namespace smharden::services
