// The SmarterMail settings smharden manages, in smharden's own JSON shapes
// (snake_case, documented in docs/services.md), translated to and from the
// API's shapes with the route map's field names. Works over either backend.
// Reads are cached for the run and the cache is dropped by any write; a
// `fresh` read (the read-back after a write) always goes to the backend.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "services/smartermail/api_backend.hpp"

namespace smharden::services::smartermail {

class settings_client {
 public:
  settings_client(api_backend& api, const route_map& map) : api_(api), map_(map) {}

  /// {"build": "100.0.9400"}
  json version(bool fresh = false);
  /// {"admins": [{"username","primary","two_factor","two_factor_method","restrict_login_by_ip",
  ///               "ip_rules":[{"name","ip"}]}]}; two_factor_method is "authenticator", "email", "none",
  ///               the server's own name for another method, or null when the record does not say
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
  ///               "smtp_auth_bypass","spam_bypass","brute_force_bypass","disabled_greylisting"}]}
  /// brute_force_bypass is null where the server's entries do not carry that field.
  /// All pages, fetched with the map's page size (one request for most servers).
  json whitelist(bool fresh = false);
  void save_whitelist_entry(const json& entry);
  void delete_whitelist_entry(const std::string& ip);

  /// {"blocks": [{"ip","block_type","protocol","rule","seconds_left","api"}]}: the current IDS blocks;
  /// "api" is the block as the server sent it (what unblock() sends back).
  json ids_blocks(bool fresh = false);
  /// Lifts the IDS blocks given as the server listed them.
  void unblock(const json& api_blocks);

  /// A paged list is refused beyond these (a hostile or broken count must not make the client loop).
  static constexpr long long max_pages = 1000;
  static constexpr long long max_list_entries = 1000000;

  /// The four extension list names.
  static const std::vector<std::string>& extension_lists();

 private:
  struct page_request {
    long long page_size = 1000;
    std::string list_field;
    std::string total_field;
    std::function<json(long long skip, long long take)> body;
  };
  json read(const std::string& route_key, const path_args& args, const json& body, bool fresh);
  /// Every item of a paged list; throws service_error naming the route when the totals do not add up.
  json read_pages(const std::string& route_key, const path_args& args, const page_request& request, bool fresh);
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
