// SmarterMail settings in the API's JSON shapes, with the API's semantics for
// every mapped settings route (flat bodies, unknown keys ignored so a wrongly
// shaped body is "accepted" and saves nothing, ip-access paging, ...). The lab
// backend keeps it in <lab>/smartermail/*.json; the test emulator keeps it in
// memory and serves it over HTTP.
#pragma once

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

#include "services/journaled_writes.hpp"
#include "services/smartermail/route_map.hpp"

namespace smharden::services::smartermail {

/// An API-level failure: the HTTP status and the `message` SmarterMail would send.
class lab_error : public std::runtime_error {
 public:
  lab_error(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int status() const noexcept { return status_; }

 private:
  int status_;
};

class lab_store {
 public:
  /// `dir` empty: in memory only. Otherwise documents live in dir/<name>.json
  /// and every write goes through `writes` (the run's journal).
  lab_store(route_map map, std::filesystem::path dir, journaled_writes writes = {{}, {}});

  /// The answer body for one settings route; throws lab_error (404 unknown
  /// route or object, 400 bad request). Auth routes are not handled here.
  json handle(const std::string& route_key, const path_args& args, const json& body);

  /// Names of the documents: version, administrators, ids-rules, ...
  static const std::vector<std::string>& document_names();
  /// A fresh SmarterMail install in the API's shapes (build 100.0.9400,
  /// admin without 2FA or IP restriction, relaxed IDS rules, ...).
  static std::map<std::string, json> default_documents(const route_map& map);

  /// Direct access for seeding and tests (loads the file on first use).
  json& document(const std::string& name);
  /// Persists a document changed through document() (no-op in memory).
  void save(const std::string& name);

  const route_map& routes() const noexcept { return map_; }

 private:
  json list_ip_access(const path_args& args, const json& body);
  json save_ip_access(const json& body);
  json delete_ip_access(const json& body);
  json list_ids_blocks(const json& body);
  json unblock_ips(const json& body);
  json save_admin(const json& body);
  json save_ids_rule(const json& body);
  json delete_ids_rule(const json& body);
  json save_settings(const std::string& doc, const json& body);
  std::string ip_access_doc(const json& data_type) const;

  route_map map_;
  std::filesystem::path dir_;
  journaled_writes writes_;
  std::map<std::string, json> docs_;
};

}  // namespace smharden::services::smartermail
