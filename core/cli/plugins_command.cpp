// `smharden plugins lock [DIR...]`: pins the plugin modules of each folder
// with a lock file of their SHA-256 hashes (registry/plugin_lock.hpp).
// Nothing is loaded: a module is hashed, never opened.
#include <fmt/format.h>

#include <iostream>
#include <map>

#include "base/atomic_file.hpp"
#include "base/errors.hpp"
#include "cli/commands.hpp"
#include "registry/path_trust.hpp"
#include "registry/plugin_lock.hpp"

namespace smharden::cli {
namespace {

namespace fs = std::filesystem;

// Problems of the modules and their folders; a folder is named once.
std::string untrusted(const core::path_inspector& inspector, const std::vector<fs::path>& modules) {
  std::vector<core::trust_problem> problems;
  for (const auto& m : modules) {
    for (auto& p : core::check_plugin_path(inspector, m)) {
      bool known = false;
      for (const auto& q : problems) known = known || q.path == p.path;
      if (!known) problems.push_back(std::move(p));
    }
  }
  std::string out;
  for (const auto& p : problems) out += (out.empty() ? "" : "; ") + p.describe();
  return out;
}

// Returns the number of modules locked (0: no module in `dir`).
std::size_t lock_folder(cli_context& ctx, const fs::path& dir, const core::path_inspector& inspector) {
  const auto modules = core::plugin_modules_in(dir);
  if (modules.empty()) return 0;
  if (const std::string problems = untrusted(inspector, modules); !problems.empty()) {
    if (!ctx.allow_insecure_plugins) {
      throw core::error(core::exit_code::usage,
                        fmt::format("plugins lock {}: not trusted, others than the owner and the administrators can "
                                    "write it: {}; fix that first (a lock file there would pin nothing)",
                                    dir.string(), problems));
    }
    ctx.audit().write(SMH_LOG_WARN, fmt::format("plugins lock {}: locked although (--allow-insecure-plugins): {}",
                                                dir.string(), problems));
  }
  std::map<std::string, std::string> hashes;
  for (const auto& m : modules) hashes[m.filename().string()] = core::file_sha256(m);
  const fs::path file = dir / core::plugin_lock_file_name;
  try {
    util::write_file_atomic(file, core::render_plugin_lock(hashes));
    // Readable by all, writable by the owner only, whatever the umask: it must pass the trust check.
    fs::permissions(file,
                    fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read,
                    fs::perm_options::replace);
  } catch (const std::exception& e) {
    throw core::runtime_error(fmt::format("plugins lock: cannot write {} ({})", file.string(), e.what()));
  }
  ctx.audit().write(SMH_LOG_INFO, fmt::format("plugins lock: wrote {} ({} modules)", file.string(), hashes.size()));
  std::cout << fmt::format("locked {} module(s) in {}\n", hashes.size(), file.string());
  for (const auto& [name, hash] : hashes) std::cout << fmt::format("  {}  {}\n", hash, name);
  return hashes.size();
}

void lock_plugins(cli_context& ctx, const std::vector<std::string>& given) {
  const auto inspector = core::os_path_inspector();
  std::vector<fs::path> dirs(given.begin(), given.end());
  if (dirs.empty()) dirs = core::plugin_search_path(ctx.plugin_dirs);
  std::size_t locked = 0;
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      if (!given.empty()) throw core::usage_error(fmt::format("plugins lock {}: no such folder", dir.string()));
      continue;
    }
    const std::size_t n = lock_folder(ctx, dir, *inspector);
    if (n == 0 && !given.empty()) {
      throw core::usage_error(fmt::format("plugins lock {}: no plugin modules in this folder", dir.string()));
    }
    locked += n;
  }
  if (locked == 0) {
    throw core::usage_error(
        "plugins lock: no plugin modules found (search path: beside the binary, --plugin-dir, SMHARDEN_PLUGIN_PATH)");
  }
}

}  // namespace

void add_plugins_command(CLI::App& app, cli_context& ctx) {
  auto* plugins = app.add_subcommand("plugins", "Manage the installed plugins");
  plugins->require_subcommand(1);
  static std::vector<std::string> dirs;
  auto* lock = plugins->add_subcommand(
      "lock",
      "Write smharden-plugins.lock (SHA-256 of every module) in each plugin folder; from then on a module "
      "that is not listed or does not match is refused");
  lock->add_option("DIR", dirs, "Plugin folders to lock (default: every folder of the plugin search path)");
  lock->callback([&ctx] { lock_plugins(ctx, dirs); });
}

}  // namespace smharden::cli
