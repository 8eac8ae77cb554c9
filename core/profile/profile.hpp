// A hardening profile after loading: the `extends` chain merged (base first,
// leaf last), `${var}` substituted, and every value traced back to the file
// and JSON pointer it came from so that errors can name them.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace smharden::core {

using ordered_json = nlohmann::ordered_json;

struct waiver {
  std::string step;                    ///< step id the waiver applies to
  std::optional<std::string> finding;  ///< one finding id, or every finding of the step
  std::string reason;
  std::string expires;  ///< ISO date YYYY-MM-DD; the waiver applies through that day (UTC)
  std::string file;     ///< profile file that declared it
  std::string pointer;  ///< e.g. "/waivers/0"

  /// True while `today` (YYYY-MM-DD) is on or before `expires`.
  bool active_on(const std::string& today) const;
};

struct step_config {
  std::string id;  ///< step id == plugin id
  bool enabled = true;
  ordered_json params = ordered_json::object();  ///< merged along the chain, vars substituted
  std::optional<std::string> severity;           ///< overrides the plugin's default severity
  std::optional<int> timeout_seconds;            ///< overrides the plugin's step timeout
  std::string file;                              ///< the file that last set this step's params
  std::string pointer;                           ///< "/steps/<id>" in that file
  std::size_t order = 0;                         ///< position of first appearance along the chain (base first)
  /// Top-level param name -> the file that last set it (errors name it).
  std::map<std::string, std::string> param_files;
};

/// An application that sends mail through the server without SMTP auth.
struct relay_app {
  std::string address;  ///< address or CIDR block
  std::string name;     ///< what the operator calls it; the address when not given
};

/// Who must keep which access ("access" in the profile). Each list is an
/// address or CIDR block per entry; empty when the profile does not declare it.
struct access_audiences {
  std::vector<std::string> management;     ///< as written in "access"; see profile::management_audience()
  std::vector<std::string> webmail_users;  ///< webmail on the public bindings
  std::vector<std::string> mail_clients;   ///< ActiveSync / MAPI / EWS clients
  std::vector<relay_app> relay_apps;       ///< SMTP relay without auth
};

struct profile {
  std::string name;  ///< "name" of the leaf profile, else its file stem
  std::string description;
  /// Files of the extends chain, base first, leaf last (absolute paths).
  std::vector<std::filesystem::path> chain;
  std::vector<step_config> steps;  ///< sorted by `order`
  std::vector<waiver> waivers;
  std::vector<std::string> management_cidrs;
  access_audiences access;  ///< "access"; a profile's key replaces that of the profile it extends
  ordered_json vars = ordered_json::object();
  /// Optional post-apply health probe settings ("health" in the profile), {} when absent.
  ordered_json health = ordered_json::object();

  const step_config* find_step(const std::string& id) const;

  /// The management audience: management_cidrs, then the entries of
  /// access.management not already listed (what the lockout guard protects).
  std::vector<std::string> management_audience() const;
};

/// Today's date in UTC as YYYY-MM-DD (what waivers are compared with).
std::string utc_today();

/// True when `date` is YYYY-MM-DD and a real calendar date.
bool valid_iso_date(const std::string& date);

/// Loads `file` and its extends chain. Throws profile_error naming the file,
/// the JSON pointer, what was expected and what was found, for: unreadable
/// file, invalid JSON (with line and column), a value of the wrong type, an
/// unknown top-level key, an extends loop (listing the chain), an undefined
/// ${var}, a malformed waiver date.
profile load_profile(const std::filesystem::path& file);

/// Checks every enabled step's params against its plugin's JSON Schema
/// (valijson, draft 7). `schema_for(id)` returns the schema or nullptr when
/// the plugin is unknown. Throws profile_error listing every problem, one per
/// line: "<file>: <pointer>: expected <what>, found <what>. Fix: <how>".
/// An unknown plugin id is an error naming the step and `smharden list`.
void validate_params(const profile& p, const std::map<std::string, nlohmann::json>& schemas_by_plugin);

/// Fills in defaults declared in `schema` ("default" of a property under "properties", at any
/// depth: in nested objects and in the objects of arrays whose schema has "items") for params the
/// profile did not set. An absent object is created only when its property has a "default" (e.g.
/// `{}`), which is then filled in the same way. Returns the completed params.
nlohmann::json apply_schema_defaults(const nlohmann::json& params, const nlohmann::json& schema);

}  // namespace smharden::core
