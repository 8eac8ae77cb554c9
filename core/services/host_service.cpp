#include "services/host_service.hpp"

#include <fmt/format.h>
#include <smharden/plugin_abi.h>

#include "services/method_table.hpp"

namespace smharden::services {
namespace {

class host_service final : public service {
 public:
  explicit host_service(const target& t) : target_(t) {}
  std::string name() const override { return "host"; }
  void register_methods(registry& r) override;
  const target& host_target() const noexcept { return target_; }

 private:
  target target_;
};

json host_info(host_service& self, const json& params) {
  if (!params.is_object() || !params.empty()) {
    throw service_error("invalid_params", fmt::format("host.info takes no parameters, found {}", params.dump()));
  }
#ifdef _WIN32
  const char* os = "windows";
#else
  const char* os = "posix";
#endif
  return json{
      {"smharden_version", SMHARDEN_VERSION},
      {"abi", {{"major", SMH_ABI_MAJOR}, {"minor", SMH_ABI_MINOR}}},
      {"target", {{"kind", to_string(self.host_target().kind)}, {"description", self.host_target().describe()}}},
      {"os", os}};
}

const method_entry<host_service> host_methods[] = {
    {"host.info",
     access::read_only,
     "smharden's version and ABI, the target's kind and description",
     {"none (any param is `invalid_params`)",
      "`{smharden_version, abi: {major, minor}, target: {kind, description}, os}` (os: `windows` or `posix`)", ""},
     &host_info},
};

void host_service::register_methods(registry& r) { add_methods(r, *this, host_methods); }

}  // namespace

std::unique_ptr<service> make_host_service(const target& t) { return std::make_unique<host_service>(t); }

}  // namespace smharden::services
