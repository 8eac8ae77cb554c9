#include "services/target.hpp"

#include <fmt/format.h>

#include "base/errors.hpp"
#include "base/json_reader.hpp"

namespace smharden::services {
namespace {

nlohmann::json read_target_file(const std::filesystem::path& file) {
  // The target file configures the run like a profile does: its problems are usage errors (exit 2).
  nlohmann::json j = core::read_json_file(
      file, core::json_read_options{core::target_json_limits, core::json_blame::profile, false, "target"});
  if (!j.is_object())
    throw core::profile_error(fmt::format("{}: a target file must hold a JSON object", file.string()));
  return j;
}

target folder_target(target_kind kind, const std::string& dir) {
  if (dir.empty())
    throw core::usage_error(
        fmt::format("--target {}: needs a folder, e.g. {}:/path/to/dir", to_string(kind), to_string(kind)));
  target t;
  t.kind = kind;
  t.root = std::filesystem::absolute(dir).lexically_normal();
  if (kind == target_kind::offline && !std::filesystem::is_directory(t.root)) {
    throw core::usage_error(fmt::format("--target offline:{}: no such folder", dir));
  }
  const auto file = t.root / "target.json";
  if (std::filesystem::exists(file)) t.config = read_target_file(file);
  return t;
}

/// A target file: "kind" says what it is, always; the other keys are the services' settings.
target file_target(const std::filesystem::path& file) {
  nlohmann::json config = read_target_file(file);
  const auto kind_it = config.find("kind");
  if (kind_it == config.end() || !kind_it->is_string()) {
    throw core::profile_error(
        fmt::format("{}: /kind is missing or not a string; it must be one of \"local\" (this machine), \"lab\" or "
                    "\"offline\" (with \"root\": the folder)",
                    file.string()));
  }
  const std::string kind = kind_it->get<std::string>();
  target t;
  if (kind == "local") {
    t.kind = target_kind::local;
  } else if (kind == "lab" || kind == "offline") {
    const auto root_it = config.find("root");
    if (root_it != config.end() && !root_it->is_string()) {
      throw core::profile_error(
          fmt::format("{}: /root must be a folder path (a string), found {}; e.g. \"root\": "
                      "\"C:/smharden/labs/customer1\"",
                      file.string(), root_it->dump()));
    }
    const std::string root = root_it != config.end() ? root_it->get<std::string>() : std::string(".");
    t = folder_target(kind == "lab" ? target_kind::lab : target_kind::offline, (file.parent_path() / root).string());
  } else {
    throw core::profile_error(fmt::format(
        "{}: /kind must be \"local\" (this machine), \"lab\" or \"offline\" (with \"root\": the folder), found \"{}\"",
        file.string(), kind));
  }
  t.config = std::move(config);
  return t;
}

}  // namespace

const char* to_string(target_kind kind) {
  switch (kind) {
    case target_kind::local:
      return "local";
    case target_kind::offline:
      return "offline";
    case target_kind::lab:
      return "lab";
  }
  return "unknown";
}

std::string target::describe() const {
  if (kind == target_kind::local) return "local";
  return fmt::format("{}:{}", to_string(kind), root.string());
}

nlohmann::json target::service_config(const std::string& service) const {
  const auto it = config.find(service);
  return it != config.end() && it->is_object() ? *it : nlohmann::json::object();
}

bool target::require_signed_plugins() const {
  const auto it = config.find("require_signed_plugins");
  if (it == config.end()) return false;
  if (!it->is_boolean()) {
    throw core::profile_error(fmt::format("/require_signed_plugins must be true or false, found {}", it->dump()));
  }
  return it->get<bool>();
}

void require_changeable(const target& t, const std::string& command) {
  if (t.kind != target_kind::offline) return;
  throw core::usage_error(fmt::format(
      "{} refused: --target {} is an offline copy, and offline copies are read-only: they are an auditor's evidence "
      "of how a server was configured, and smharden never changes them. Audit it with `smharden check --target {}`; "
      "to try changes, use a lab (`smharden lab init DIR`, then --target lab:DIR), or apply on the server itself "
      "(--target local)",
      command, t.describe(), t.describe()));
}

target parse_target(const std::string& spec) {
  if (spec == "local") {
    target t;
    t.kind = target_kind::local;
    return t;
  }
  if (spec.rfind("lab:", 0) == 0) return folder_target(target_kind::lab, spec.substr(4));
  if (spec.rfind("offline:", 0) == 0) return folder_target(target_kind::offline, spec.substr(8));
  const std::filesystem::path file(spec);
  if (file.extension() == ".json" && std::filesystem::is_regular_file(file)) return file_target(file);
  throw core::usage_error(fmt::format(
      "--target {}: expected \"local\", \"lab:DIR\", \"offline:DIR\" or an existing target .json file", spec));
}

}  // namespace smharden::services
