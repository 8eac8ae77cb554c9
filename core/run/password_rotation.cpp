#include "run/password_rotation.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "base/atomic_file.hpp"
#include "base/errors.hpp"
#include "base/hex.hpp"
#include "services/windows/secret_protection.hpp"

namespace smharden::core::rotation {
namespace {

using nlohmann::json;

// In the order a run meets them: the user first, then what logs on as it.
const char* const rotation_steps[] = {"accounts", "service", "iis-identity"};

std::string from_hex(const std::string& hex, const std::filesystem::path& file) {
  const auto nibble = [&](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    throw runtime_error(fmt::format("{}: the password is not hex; the file is damaged", file.string()));
  };
  if (hex.size() % 2 != 0) throw runtime_error(fmt::format("{}: the password is cut short", file.string()));
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) out += static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1]));
  return out;
}

}  // namespace

scope scope_of(const run_plan& plan) {
  scope s;
  std::vector<std::string> unselected;
  for (const char* id : rotation_steps) {
    if (plan.nodes.count(id) == 0 || plan.params.count(id) == 0) continue;
    s.steps.emplace_back(id);
    if (plan.selected.count(id) == 0) unselected.emplace_back(id);
  }
  if (std::find(s.steps.begin(), s.steps.end(), "accounts") == s.steps.end()) {
    throw usage_error(
        fmt::format("{}: the profile has no accounts step; the rotation sets the password of the "
                    "user that step manages",
                    cli_flag));
  }
  if (!unselected.empty()) {
    throw usage_error(fmt::format(
        "{}: {} {} not selected; a rotation sets the new password on the user, the service and the app pool in "
        "one run, so select all of {} (or run without --only/--skip/--tags)",
        cli_flag, fmt::join(unselected, ", "), unselected.size() == 1 ? "is" : "are", fmt::join(s.steps, ", ")));
  }
  const json& accounts = plan.params.at("accounts");
  s.secret = accounts.value("password_secret", std::string("service_password"));
  s.password_length = accounts.value("generated_password_length", std::size_t{24});
  for (const auto& id : s.steps) {
    const std::string other = plan.params.at(id).value("password_secret", std::string("service_password"));
    if (other != s.secret) {
      throw usage_error(
          fmt::format("{}: step {} reads the password from secret \"{}\" but accounts sets secret "
                      "\"{}\"; give the three steps the same password_secret",
                      cli_flag, id, other, s.secret));
    }
  }
  return s;
}

bool carries_password(const std::string& step, const std::string& method) {
  if (step == "accounts") return method == "windows.user.set_password" || method == "windows.user.create";
  if (step == "service") return method == "windows.service.set_logon";
  if (step == "iis-identity") return method == "iis.app_pool.set_identity";
  return false;
}

std::filesystem::path pending_file(const std::filesystem::path& state_dir) {
  return state_dir / "rotation-pending.json";
}

std::optional<pending> read_pending(const std::filesystem::path& state_dir) {
  const auto file = pending_file(state_dir);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  const json doc = json::parse(util::read_file(file), nullptr, false);
  if (!doc.is_object() || !doc.value("password_hex", json()).is_string() || !doc.value("secret", json()).is_string()) {
    throw runtime_error(fmt::format(
        "{}: the pending password rotation cannot be read (the file is damaged). The user, the service and the "
        "app pool may hold different passwords: supply a new password as the secret and run `smharden apply {}` "
        "after removing the file",
        file.string(), cli_flag));
  }
  pending p;
  p.run_id = doc.value("run_id", "");
  p.secret = doc["secret"].get<std::string>();
  p.started_at = doc.value("started_at", "");
  const std::string stored = from_hex(doc["password_hex"].get<std::string>(), file);
  const std::string kind = doc.value("protection", "none");
  try {
    p.password = kind == "none" ? stored : services::windows::unprotect_secret(stored);
  } catch (const std::exception& e) {
    throw runtime_error(
        fmt::format("{}: the pending password cannot be unprotected ({}): {}", file.string(), kind, e.what()));
  }
  return p;
}

void write_pending(const std::filesystem::path& state_dir, const pending& p) {
  std::filesystem::create_directories(state_dir);
  const json doc = {{"format", 1},
                    {"what",
                     "a service password rotation that has not finished (docs/safety.md); smharden removes "
                     "this file when the rotation is complete"},
                    {"run_id", p.run_id},
                    {"secret", p.secret},
                    {"started_at", p.started_at},
                    {"protection", services::windows::protection_kind()},
                    {"password_hex", util::hex_encode(services::windows::protect_secret(p.password))}};
  util::write_private_file_atomic(pending_file(state_dir), doc.dump(2) + "\n");
}

void remove_pending(const std::filesystem::path& state_dir) {
  std::error_code ec;
  std::filesystem::remove(pending_file(state_dir), ec);
  if (ec) throw runtime_error(fmt::format("cannot remove {}: {}", pending_file(state_dir).string(), ec.message()));
}

std::string pending_refusal(const pending& p) {
  return fmt::format(
      "a service password rotation started by run {} has not finished: the service user, the service's logon and "
      "the app pool may hold different passwords. Finish it first: smharden apply {} (it reuses the pending "
      "password; nothing else is applied until then)",
      p.run_id.empty() ? "?" : p.run_id, cli_flag);
}

void register_status_method(services::registry& methods, std::function<json()> status) {
  services::method m;
  m.name = status_method;
  m.kind = services::access::read_only;
  m.summary =
      "is a service password rotation (--rotate-service-password) requested for the calling step? (see "
      "docs/safety.md)";
  m.doc = {"`{}`",
           "`{requested, password_secret}`: `requested` until the calling step (accounts, service, iis-identity) has "
           "applied its part in this run; `password_secret` names the secret holding the new password (never the "
           "password)",
           ""};
  m.invoke = [status = std::move(status)](const json& p) {
    if (!p.is_null() && !(p.is_object() && p.empty())) {
      throw services::service_error("invalid_params",
                                    fmt::format("{} takes no params: call it with {{}}", status_method));
    }
    return status();
  };
  methods.add(std::move(m));
}

}  // namespace smharden::core::rotation
