// The `smartermail` service: the SmarterMail settings the sm-* plugins check
// and apply (version, system administrators, IDS rules, extension blacklists,
// Allow Relay, the IP whitelist), over the rest or the lab backend.
// Method catalogue and JSON shapes: docs/services.md, section "smartermail".
#pragma once

#include <filesystem>
#include <memory>

#include "services/service.hpp"
#include "services/smartermail/api_backend.hpp"
#include "services/smartermail/route_map.hpp"
#include "services/smartermail/settings_client.hpp"

namespace smharden::services {

/// The smartermail service for `t`: rest when target.json sets smartermail.url
/// (or the target is `local`: http://127.0.0.1:9998), the lab backend for lab
/// and offline folders. Bad smartermail settings throw core::profile_error.
std::unique_ptr<service> make_smartermail_service(const target& t, service_env& env);

/// Writes a fresh install's SmarterMail settings into dir/smartermail/.
void seed_smartermail_lab(const std::filesystem::path& dir);

/// Read-only check of the route map against the target: the server's build
/// and, per mapped route, whether it answers and in the expected shape.
/// Signs in once and out at the end (rest).
nlohmann::json probe_routes(const target& t, service_env& env);

namespace smartermail {

/// The effective route map for a target (built-in map + target.json overrides).
route_map route_map_for(const target& t);

/// The backend make_smartermail_service() would use for `t`.
std::unique_ptr<api_backend> make_backend(const target& t, service_env& env, const route_map& map);

/// Probes every read route over `api` (see probe_routes).
json probe(api_backend& api, const route_map& map);

/// `report` with `redact` applied to every string and every value under a
/// key that names a token, password or cookie replaced by "***": what the
/// server answered (error messages included) may echo a secret.
json redacted(const json& report, const std::function<std::string(const std::string&)>& redact);

class smartermail_service final : public service {
 public:
  smartermail_service(std::unique_ptr<api_backend> api, route_map map);
  std::string name() const override { return "smartermail"; }
  void register_methods(registry& r) override;
  void end_run() noexcept override;

  settings_client& settings() noexcept { return settings_; }
  api_backend& api() noexcept { return *api_; }
  const route_map& routes() const noexcept { return map_; }

 private:
  route_map map_;
  std::unique_ptr<api_backend> api_;
  settings_client settings_;
};

}  // namespace smartermail
}  // namespace smharden::services
