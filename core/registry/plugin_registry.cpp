#include "registry/plugin_registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "registry/plugin_lock.hpp"
#include "runtime/install_layout.hpp"

namespace smharden::core {
namespace {

namespace fs = std::filesystem;

/// The ABI majors a module exports entry points for, to explain a refusal.
std::string other_majors(const boost::dll::shared_library& lib) {
  std::string found;
  for (int major = 2; major <= 9; ++major) {
    const std::string name = fmt::format("smharden_plugin_v{}", major);
    if (lib.has(name)) found += (found.empty() ? "" : ", ") + name;
  }
  return found;
}

std::string join_problems(const std::vector<trust_problem>& problems) {
  std::string out;
  for (const auto& p : problems) out += (out.empty() ? "" : "; ") + p.describe();
  return out;
}

}  // namespace

plugin_registry::plugin_registry(plugin_trust_options trust) : trust_(std::move(trust)) {
  if (!trust_.inspector) trust_.inspector = os_path_inspector();
  if (!trust_.verifier) trust_.verifier = os_signature_verifier();
}

bool plugin_registry::refused_untrusted() const noexcept {
  return std::any_of(refusals_.begin(), refusals_.end(), [](const load_refusal& r) { return r.untrusted; });
}

std::string plugin_registry::trust_refusal(const fs::path& file, std::string& insecure) const {
  std::vector<trust_problem> problems = check_plugin_path(*trust_.inspector, file);
  std::optional<plugin_lock> lock;
  try {
    lock = read_plugin_lock(file.parent_path());
  } catch (const std::exception& e) {
    return e.what();
  }
  if (lock) {
    // The lock file pins the modules only if nobody else can rewrite it.
    for (auto& p : check_plugin_path(*trust_.inspector, lock->file)) {
      const bool known = std::any_of(problems.begin(), problems.end(), [&](const auto& q) { return q.path == p.path; });
      if (!known) problems.push_back(std::move(p));
    }
  }
  if (!problems.empty()) {
    if (!trust_.allow_insecure) {
      return fmt::format(
          "not trusted, others than its owner and the administrators can write it: {}; or pass "
          "--allow-insecure-plugins to load it anyway",
          join_problems(problems));
    }
    insecure = join_problems(problems);
  }
  if (lock) {
    if (std::string why = lock_mismatch(*lock, file); !why.empty()) return why;
  }
  if (trust_.require_signed) {
    if (std::string why = trust_.verifier->problem(file); !why.empty()) {
      return fmt::format(
          "require_signed_plugins is set in the target file and the module's Authenticode signature fails: {}; sign "
          "it (signtool sign /fd SHA256 ...) or remove require_signed_plugins",
          why);
    }
  }
  return {};
}

bool plugin_registry::load_file(const fs::path& file) {
  auto refuse = [&](const std::string& reason) {
    refusals_.push_back({file, reason});
    return false;
  };
  std::string insecure;
  if (std::string why = trust_refusal(file, insecure); !why.empty()) {
    refusals_.push_back({file, why, true});
    return false;
  }
  std::error_code ec;
  boost::dll::shared_library lib(file, ec, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  if (ec) return refuse(fmt::format("not a loadable plugin module ({})", ec.message()));
  if (!lib.has(SMH_ENTRY_SYMBOL_V1)) {
    const std::string others = other_majors(lib);
    if (!others.empty()) {
      return refuse(fmt::format("built for another plugin ABI (exports {}); this host speaks ABI major {}", others,
                                SMH_ABI_MAJOR));
    }
    return refuse(fmt::format("not a smharden plugin: no {} entry point", SMH_ENTRY_SYMBOL_V1));
  }
  const smh_plugin_v1* exported = nullptr;
  try {
    exported = lib.get<const smh_plugin_v1*()>(SMH_ENTRY_SYMBOL_V1)();
  } catch (...) {
    return refuse(fmt::format("{} threw an exception", SMH_ENTRY_SYMBOL_V1));
  }
  if (exported == nullptr) return refuse(fmt::format("{} returned NULL", SMH_ENTRY_SYMBOL_V1));
  if (exported->abi_major != SMH_ABI_MAJOR) {
    return refuse(fmt::format("built for plugin ABI {}.{}; this host speaks ABI major {}", exported->abi_major,
                              exported->abi_minor, SMH_ABI_MAJOR));
  }
  if (exported->abi_minor > SMH_ABI_MINOR) {
    return refuse(fmt::format("built for plugin ABI {}.{}, newer than this host's {}.{}; upgrade smharden",
                              exported->abi_major, exported->abi_minor, SMH_ABI_MAJOR, SMH_ABI_MINOR));
  }
  constexpr uint32_t minimum_size = offsetof(smh_plugin_v1, destroy) + sizeof(exported->destroy);
  if (exported->struct_size < minimum_size) {
    return refuse(fmt::format("plugin table is {} bytes, smaller than ABI {}.0 requires ({})", exported->struct_size,
                              SMH_ABI_MAJOR, minimum_size));
  }
  if (exported->reserved0 != 0) {
    return refuse(
        fmt::format("plugin table has reserved0 = {}; ABI {} requires 0 (the module was not built with "
                    "smharden's plugin_abi.h)",
                    exported->reserved0, SMH_ABI_MAJOR));
  }
  // Copy only what the plugin declared; members it does not know stay zero.
  smh_plugin_v1 table{};
  std::memcpy(&table, exported, std::min<std::size_t>(exported->struct_size, sizeof(table)));
  if (!table.create || !table.check || !table.apply || !table.last_error || !table.destroy) {
    return refuse("plugin table has a NULL function (create, check, apply, last_error and destroy are required)");
  }
  plugin_manifest manifest;
  try {
    manifest = parse_manifest(table.manifest_json);
  } catch (const std::exception& e) {
    return refuse(e.what());
  }
  if (const auto it = by_id_.find(manifest.id); it != by_id_.end()) {
    return refuse(
        fmt::format("duplicate plugin id \"{}\" (already loaded from {})", manifest.id, it->second->file().string()));
  }
  const std::string id = manifest.id;
  if (!insecure.empty()) insecure_.push_back({file, insecure});
  by_id_.emplace(id, std::make_unique<loaded_plugin>(std::move(lib), table, std::move(manifest), file));
  return true;
}

void plugin_registry::load_from(const std::vector<fs::path>& dirs) {
  for (const auto& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& f : plugin_modules_in(dir)) load_file(f);
  }
}

const loaded_plugin* plugin_registry::find(const std::string& id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second.get();
}

std::vector<const loaded_plugin*> plugin_registry::plugins() const {
  std::vector<const loaded_plugin*> out;
  for (const auto& [id, p] : by_id_) out.push_back(p.get());
  return out;
}

std::vector<fs::path> plugin_search_path(const std::vector<fs::path>& cli_dirs) {
  std::vector<fs::path> dirs;
  // The shipped plugins: the first of their possible folders that exists.
  for (const fs::path& dir : shipped_plugin_folders()) {
    std::error_code ec;
    if (fs::is_directory(dir, ec)) {
      dirs.push_back(dir);
      break;
    }
  }
  dirs.insert(dirs.end(), cli_dirs.begin(), cli_dirs.end());
  if (const char* env = std::getenv("SMHARDEN_PLUGIN_PATH"); env != nullptr && *env != '\0') {
#ifdef _WIN32
    const char sep = ';';
#else
    const char sep = ':';
#endif
    std::stringstream ss(env);
    std::string item;
    while (std::getline(ss, item, sep)) {
      if (!item.empty()) dirs.emplace_back(item);
    }
  }
  return dirs;
}

}  // namespace smharden::core
