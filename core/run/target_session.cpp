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

void lend_secrets(services::service_env& env, secret_store& secrets, const redactor& redact) {
  env.secret = [&secrets](const std::string& name) { return secrets.get(name); };
  env.sensitive = [&secrets](const std::string& value) { secrets.note_sensitive(value); };
  env.redact = [&redact](const std::string& text) { return redact.apply(text); };
}

services::service_env read_only_env(const run_context& ctx, const std::string& who) {
  services::service_env env;
  env.state_dir = ctx.state_dir;
  lend_secrets(env, ctx.secrets, ctx.redact);
  env.log = [&log = ctx.log](const std::string& line) { log.write(SMH_LOG_INFO, line); };
  env.before_file_write = [who](const std::filesystem::path& file) {
    throw services::service_error("refused", fmt::format("{} does not write ({})", who, file.string()));
  };
  return env;
}

}  // namespace smharden::core
