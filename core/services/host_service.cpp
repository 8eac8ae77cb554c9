#include "services/host_service.hpp"

#include <smharden/plugin_abi.h>

namespace smharden::services {
namespace {

class host_service final : public service {
 public:
  explicit host_service(const target& t) : target_(t) {}
  std::string name() const override { return "host"; }
  void register_methods(registry& r) override{r.add({
    "host.info", access::read_only, "smharden's version and ABI, the target's kind and description",
        [this](const json&) {
          return json{{"smharden_version", SMHARDEN_VERSION},
                      {"abi", {{"major", SMH_ABI_MAJOR}, {"minor", SMH_ABI_MINOR}}},
                      {"target", {{"kind", to_string(target_.kind)}, {"description", target_.describe()}}},
#ifdef _WIN32
                      { "os",
                        "windows" }};
#else
                      {"os", "posix"}};
#endif
        },
    {}
  });
}

private : target target_;
};  // namespace

}  // namespace smharden::services

std::unique_ptr<service> make_host_service(const target& t) { return std::make_unique<host_service>(t); }

}  // namespace smharden::services
