#include "run/target_session.hpp"

#include <fmt/format.h>

namespace smharden::core {

target_session::target_session(const services::target& t, services::service_env env, const extra_services_hook& extra)
    : env_(std::move(env)), services_(services::make_services(t, env_)) {
  if (extra) extra(services_, env_);
  for (auto& s : services_) s->register_methods(methods_);
}

target_session::~target_session() {
  for (auto& s : services_) s->end_run();
}

void target_session::commit_step() {
  for (auto& s : services_) s->commit_step();
}

void target_session::discard_step() {
  for (auto& s : services_) s->discard_step();
}

services::service_env read_only_env(const run_context& ctx, const std::string& who) {
  services::service_env env;
  env.state_dir = ctx.state_dir;
  env.secret = [&secrets = ctx.secrets](const std::string& name) { return secrets.get(name); };
  env.log = [&log = ctx.log](const std::string& line) { log.write(SMH_LOG_INFO, line); };
  env.before_file_write = [who](const std::filesystem::path& file) {
    throw services::service_error("refused", fmt::format("{} does not write ({})", who, file.string()));
  };
  return env;
}

}  // namespace smharden::core
