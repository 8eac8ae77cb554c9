// A run's journal read back as what rollback needs: the mutations in order
// with their undo calls, and the files the run backed up.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "run/run_folder.hpp"

namespace smharden::journal {

struct journaled_mutation {
  std::int64_t seq = 0;
  std::string step;
  std::string method;
  json params = json::object();
  json undo = json::array();  ///< [{method, params}]
  std::vector<std::string> needs_secrets;
  std::string description;
  bool undo_redacted = false;
  std::optional<bool> ok;  ///< nullopt: no mutation_done record (the process died during the call)
};

struct journaled_file {
  std::string path;
  std::string first_step;       ///< the step that backed it up
  std::set<std::string> steps;  ///< every step seen changing it
  bool existed = true;
  std::string sha256_before;           ///< "" when it did not exist
  std::string backup;                  ///< relative to the run folder; "" when it did not exist
  std::set<std::string> known_sha256;  ///< every state this run left it in ("" = absent)
};

struct journaled_run {
  run_folder folder;
  json start = json::object();                  ///< the run_start record
  std::vector<journaled_mutation> mutations;    ///< by seq
  std::map<std::string, journaled_file> files;  ///< by path
  std::set<std::string> steps;                  ///< every step with a mutation or a file
  json rotation = nullptr;                      ///< the rotation_start record (--rotate-service-password), else null
  bool ended = false;                           ///< a run_end record exists
  bool torn_tail = false;

  std::string mode() const { return start.value("mode", ""); }
};

/// Reads runs/<id>/journal.jsonl. Throws core::runtime_error when it is
/// missing, damaged (not just torn at the end), or has no run_start record.
journaled_run load_journaled_run(const run_folder& run);

}  // namespace smharden::journal
