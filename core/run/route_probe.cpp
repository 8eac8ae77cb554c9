#include "run/route_probe.hpp"

#include "run/target_session.hpp"
#include "services/smartermail/smartermail_service.hpp"

namespace smharden::core {

nlohmann::json run_route_probe(const run_context& ctx, const services::target& t) {
  services::service_env env = read_only_env(ctx, "the route probe");
  return services::probe_routes(t, env);
}

}  // namespace smharden::core
