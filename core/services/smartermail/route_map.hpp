// The SmarterMail route map: every route, HTTP method, JSON field name and
// enum value the client uses, loaded from routes.json (embedded at build time)
// and optionally patched by the target's config, so an operator can correct
// an entry for their server without a rebuild.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace smharden::services::smartermail {

using json = nlohmann::json;
using path_args = std::map<std::string, std::string>;

struct route {
  std::string key;               ///< e.g. "ids.rules.list"
  std::string method;            ///< "GET" or "POST"
  std::string path;              ///< relative to base_path, may hold {placeholders}
  bool read = true;              ///< read-only (retried on 5xx/timeouts); writes are never retried
  std::string response_wrapper;  ///< e.g. "settings" when GET answers {"settings":{...}}; empty = flat
  bool verified = false;
  std::string source;
};

class route_map {
 public:
  /// The map compiled into the binary (core/services/smartermail/routes.json).
  static route_map embedded();
  /// Parses and validates a map document; `origin` names it in error messages.
  static route_map from_json(json doc, const std::string& origin);

  /// Applies {"routes": {key: patch}, "fields": {...}, "values": {...}} from a
  /// target's "smartermail" settings. Unknown keys and bad types throw
  /// core::profile_error naming `origin`, the JSON pointer and the fix.
  void apply_overrides(const json& smartermail_config, const std::string& origin);

  route get(std::string_view key) const;
  /// The API's JSON name for a logical field, e.g. "ids_rule.threshold" -> "occurencesBeforeTrigger".
  std::string field(std::string_view key) const;
  /// A mapped value (enum member, constant), e.g. "allow_relay.nobody" -> 0.
  const json& value(std::string_view key) const;
  /// The logical member of a value group whose API value equals `api_value`,
  /// e.g. ("allow_relay", 2) -> "local_domains"; nullopt when none matches.
  std::optional<std::string> member_for(std::string_view group, const json& api_value) const;
  /// base_path + the route's path with {placeholders} replaced by URL-encoded args.
  std::string url_path(const route& r, const path_args& args = {}) const;

  /// The effective map (after overrides), for `smartermail probe` and docs.
  const json& document() const noexcept { return doc_; }

 private:
  explicit route_map(json doc) : doc_(std::move(doc)) {}
  static void validate(const json& doc, const std::string& origin);
  json doc_;
};

/// Percent-encodes everything except RFC 3986 unreserved characters.
std::string url_encode(std::string_view text);

}  // namespace smharden::services::smartermail
