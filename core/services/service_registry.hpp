// The catalog of service methods a plugin may call through the host
// (smh_call_context_v1::call_service). Each method is declared read-only or
// mutating; the engine refuses mutating methods in check mode and journals
// the undo record of every mutating call before it runs.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace smharden::services {

using json = nlohmann::json;

enum class access { read_only, mutating };

/// A failure inside a service method. `code` is stable and machine-readable:
/// invalid_params, not_found, conflict, unavailable, refused, failed.
class service_error : public std::runtime_error {
 public:
  service_error(std::string code, const std::string& message) : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const noexcept { return code_; }

 private:
  std::string code_;
};

/// How to undo one mutating call, computed from the target's state just
/// before the call runs. Replaying `calls` in order restores that state.
struct undo_record {
  /// [{"method": "...", "params": {...}}, ...]; empty when the call changes nothing.
  json calls = json::array();
  /// Names of secrets the replay needs (never their values), e.g. a previous
  /// service password that the host cannot read back.
  std::vector<std::string> needs_secrets;
  /// One line for the journal and `smharden history`.
  std::string description;
};

/// What docs/services.md says about a method beyond its one-line summary (Markdown).
struct method_doc {
  std::string params;  ///< the params object, e.g. "`{name, password_secret}`"; "–" when it takes none
  std::string result;  ///< the result object
  std::string undo;    ///< mutating methods: what the undo record restores
};

struct method {
  std::string name;  ///< "<service>.<object>.<verb>", e.g. "iis.bindings.set"
  access kind = access::read_only;
  std::string summary;  ///< one line for `docs/services.md` and `smharden describe`
  std::function<json(const json& params)> invoke;
  /// Required for mutating methods: the undo record for `params`.
  std::function<undo_record(const json& params)> undo;
  method_doc doc{};
};

class registry {
 public:
  /// Adds a method. Throws std::logic_error on a duplicate name or a mutating
  /// method without an undo function (a programming error, not user input).
  void add(method m);
  const method* find(std::string_view name) const;
  /// Every method, sorted by name.
  std::vector<const method*> all() const;

 private:
  std::map<std::string, method, std::less<>> methods_;
};

/// Reads a required string param or throws service_error("invalid_params").
std::string require_string(const json& params, std::string_view key);

}  // namespace smharden::services
