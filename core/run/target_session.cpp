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

services::service_env session_env(secret_store& secrets, const redactor& redact, audit_log& log,
                                  std::filesystem::path state_dir, std::filesystem::path run_dir) {
  services::service_env env;
  env.run_dir = std::move(run_dir);
  env.state_dir = std::move(state_dir);
  lend_secrets(env, secrets, redact);
  env.log = [&log](const std::string& line) { log.write(SMH_LOG_INFO, line); };
  return env;
}

void journal_writes(services::service_env& env, run_observer* observer, const std::string& step) {
  if (observer == nullptr) {
    env.before_file_write = nullptr;
    env.file_written = nullptr;
    return;
  }
  env.before_file_write = [observer, &step](const std::filesystem::path& file) {
    observer->before_file_write(step, file);
  };
  env.file_written = [observer, &step](const std::filesystem::path& file, const std::optional<std::string>& sha256) {
    observer->file_written(step, file, sha256);
  };
}

void refuse_writes(services::service_env& env, const std::string& who) {
  env.before_file_write = [who](const std::filesystem::path& file) {
    throw services::service_error("refused", fmt::format("{} does not write ({})", who, file.string()));
  };
  env.file_written = nullptr;
}

services::service_env read_only_env(const run_context& ctx, const std::string& who) {
  services::service_env env = session_env(ctx.secrets, ctx.redact, ctx.log, ctx.state_dir);
  refuse_writes(env, who);
  return env;
}

}  // namespace smharden::core
