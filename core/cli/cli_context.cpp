#include "cli/cli_context.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "base/errors.hpp"
#include "runtime/state_dir.hpp"
#include "services/service.hpp"

#ifdef _WIN32
#include <io.h>
#define smh_isatty _isatty
#define smh_fileno _fileno
#else
#include <unistd.h>
#define smh_isatty isatty
#define smh_fileno fileno
#endif

namespace smharden::cli {

bool stdout_is_tty() { return smh_isatty(smh_fileno(stdout)) != 0; }
bool stdin_is_tty() { return smh_isatty(smh_fileno(stdin)) != 0; }
bool stderr_is_tty() { return smh_isatty(smh_fileno(stderr)) != 0; }

bool cli_context::color_stdout() const {
  const char* no_color_env = std::getenv("NO_COLOR");
  if (no_color || (no_color_env != nullptr && *no_color_env != '\0')) return false;
  return stdout_is_tty();
}

core::plugin_registry& cli_context::registry() {
  if (!plugins) {
    core::plugin_trust_options trust;
    trust.allow_insecure = allow_insecure_plugins;
    trust.require_signed = require_signed_plugins;
    plugins = std::make_unique<core::plugin_registry>(trust);
    plugins->load_from(core::plugin_search_path(plugin_dirs));
    for (const auto& r : plugins->refusals()) {
      // An untrusted module stops the command, and the error names it: on the console once.
      audit().write(r.untrusted ? SMH_LOG_INFO : SMH_LOG_WARN,
                    fmt::format("plugin {} refused: {}", r.file.string(), r.reason));
    }
    for (const auto& l : plugins->insecure_loads()) {
      audit().write(SMH_LOG_WARN, fmt::format("plugin {} loaded insecurely (--allow-insecure-plugins): {}",
                                              l.file.string(), l.reason));
    }
  }
  if (plugins->refused_untrusted()) {
    std::string list;
    std::size_t count = 0;
    for (const auto& r : plugins->refusals()) {
      if (!r.untrusted) continue;
      ++count;
      list += fmt::format("\n  {}: {}", r.file.string(), r.reason);
    }
    throw core::error(core::exit_code::usage,
                      fmt::format("refused to load {} untrusted plugin module(s); nothing was run:{}", count, list));
  }
  return *plugins;
}

core::secret_store& cli_context::secret_store() {
  if (!secrets) {
    secrets = std::make_unique<core::secret_store>(redact);
    if (worker) {
      for (const auto& [name, value] : worker->secrets) secrets->add_value(name, value);
      return *secrets;
    }
    for (const auto& spec : secret_files) {
      const auto eq = spec.find('=');
      if (eq == std::string::npos || eq == 0) {
        throw core::usage_error(fmt::format("--secret-file {}: expected NAME=PATH", spec));
      }
      secrets->add_file(spec.substr(0, eq), spec.substr(eq + 1));
    }
    for (const auto& name : secret_stdin) {
      std::string value;
      if (!std::getline(std::cin, value)) {
        throw core::usage_error(fmt::format("--secret-stdin {}: no line to read on standard input", name));
      }
      if (!value.empty() && value.back() == '\r') value.pop_back();
      secrets->add_value(name, std::move(value));
    }
  }
  return *secrets;
}

core::audit_log& cli_context::audit() {
  if (!log) {
    const smh_log_level console = verbosity >= 2 ? SMH_LOG_DEBUG : verbosity == 1 ? SMH_LOG_INFO : SMH_LOG_WARN;
    std::filesystem::path file;
    try {
      file = core::state_dir() / "logs" / "smharden.log";
      std::filesystem::create_directories(file.parent_path());
    } catch (const std::exception& e) {
      std::cerr << "smharden: warning: no audit log file (" << e.what() << ")\n";
      file.clear();
    }
    log = std::make_unique<core::audit_log>(redact, file, console);
    log->set_event_log(core::make_windows_event_log());  // Windows only; elsewhere none
  }
  return *log;
}

services::target cli_context::resolve_target(const std::string& spec) {
  if (!spec.empty()) {
    services::target t = services::parse_target(spec);
    if (t.kind == services::target_kind::lab && !std::filesystem::exists(t.root / "target.json")) {
      throw core::usage_error(
          fmt::format("--target {}: no lab there; create one with `smharden lab init {}`", spec, t.root.string()));
    }
    return t;
  }
#ifdef _WIN32
  return services::parse_target("local");
#else
  const auto dir = core::state_dir() / "lab";
  if (!std::filesystem::exists(dir / "target.json")) {
    services::init_lab(dir);
    std::cerr << fmt::format(
        "smharden: no --target given and this is not Windows: created a lab (a simulated fresh SmarterMail install) "
        "in {}\n",
        dir.string());
  }
  return services::parse_target("lab:" + dir.string());
#endif
}

}  // namespace smharden::cli

namespace smharden::cli {

core::run_context cli_context::run_context() {
  return core::run_context{registry(), secret_store(), redact, audit(), cancel, core::state_dir()};
}

core::run_context cli_context::run_context_without_plugins() {
  return core::run_context{no_plugins, secret_store(), redact, audit(), cancel, core::state_dir()};
}

}  // namespace smharden::cli
