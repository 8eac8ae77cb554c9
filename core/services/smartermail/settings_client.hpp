// The SmarterMail settings smharden manages, in smharden's own JSON shapes
// (snake_case, documented in docs/services.md), translated to and from the
// API's shapes with the route map's field names. Works over either backend.
// Reads are cached for the run and the cache is dropped by any write; a
// `fresh` read (the read-back after a write) always goes to the backend.
#pragma once

#include <map>
#include <string>

#include "services/smartermail/api_backend.hpp"

namespace smharden::services::smartermail {

class settings_client {
 public:
  settings_client(api_backend& api, const route_map& map) : api_(api), map_(map) {}

  /// {"build": "100.0.9400"}
  json version(bool fresh = false);
  /// {"admins": [{"username","primary","two_factor","restrict_login_by_ip","ip_rules":[{"name","ip"}]}]}
  json admins(bool fresh = false);
  /// One admin in the shape above; service_error not_found when absent.
  json admin(const std::string& username, bool fresh = false);
  void save_admin_security(const std::string& username, bool restrict_login_by_ip, const json& ip_rules);

  /// {"rules": [{"id","type","service","action","time_frame_minutes","threshold","block_minutes","description"}]}
  json ids_rules(bool fresh = false);
  /// Creates the rule when it has no id (or an id the server does not know); returns the id.
  std::string save_ids_rule(const json& rule, bool exists);
  void delete_ids_rule(const std::string& id);

  /// {"inbound": [".exe", ...], "outbound": [...], "upload": [...], "file_system": [...]}
  json extensions(bool fresh = false);
  /// Replaces the lists named in `lists` (a subset of the shape above).
  void save_extensions(const json& lists);

  /// {"allow_relay": "nobody|local_users|local_domains|anyone"} ("unknown:<value>" when unmapped)
  json relay(bool fresh = false);
  void save_relay(const std::string& allow_relay);

  /// {"entries": [{"ip","description","services":["smtp","pop","imap","xmpp"],
  ///               "smtp_auth_bypass","spam_bypass","disabled_greylisting"}]}
  /// All pages, fetched with the map's page size (one request for most servers).
  json whitelist(bool fresh = false);
  void save_whitelist_entry(const json& entry);
  void delete_whitelist_entry(const std::string& ip);

  /// The four extension list names.
  static const std::vector<std::string>& extension_lists();

 private:
  json read(const std::string& route_key, const path_args& args, const json& body, bool fresh);
  json write(const std::string& route_key, const path_args& args, const json& body);
  json canonical_admin(const json& api_admin) const;
  json canonical_rule(const json& api_rule) const;
  std::string member_or_raw(const std::string& group, const json& api_value) const;
  json api_value_for(const std::string& group, const std::string& member, const std::string& what) const;

  api_backend& api_;
  const route_map& map_;
  std::map<std::string, json> cache_;
};

/// ".exe" form: lower case, one leading dot. Empty when `text` is not an extension.
std::string normalize_extension(const std::string& text);

}  // namespace smharden::services::smartermail
