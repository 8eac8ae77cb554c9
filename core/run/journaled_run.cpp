#include "run/journaled_run.hpp"

#include <fmt/format.h>

#include "base/errors.hpp"
#include "run/journal_file.hpp"

namespace smharden::journal {
namespace {

std::string string_or_empty(const json& r, const char* key) {
  const auto it = r.find(key);
  return it != r.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

journaled_run load_journaled_run(const run_folder& run) {
  const journal_contents contents = read_journal(run.journal());
  journaled_run out;
  out.folder = run;
  out.torn_tail = contents.torn_tail;
  bool started = false;
  for (const auto& r : contents.records) {
    const std::string type = r.value("type", "");
    if (type == "run_start") {
      out.start = r;
      started = true;
    } else if (type == "mutation") {
      journaled_mutation m;
      m.seq = r.value("seq", std::int64_t{0});
      m.step = r.value("step", "");
      m.method = r.value("method", "");
      m.params = r.value("params", json::object());
      m.undo = r.value("undo", json::array());
      m.description = r.value("description", "");
      m.undo_redacted = r.value("undo_redacted", false);
      for (const auto& s : r.value("needs_secrets", json::array())) {
        if (s.is_string()) m.needs_secrets.push_back(s.get<std::string>());
      }
      if (!m.undo.is_array()) {
        throw core::runtime_error(
            fmt::format("{}: mutation {} has an undo that is not an array", run.journal().string(), m.seq));
      }
      if (m.step != "engine") out.steps.insert(m.step);
      out.mutations.push_back(std::move(m));
    } else if (type == "mutation_done") {
      const auto seq = r.value("seq", std::int64_t{0});
      for (auto it = out.mutations.rbegin(); it != out.mutations.rend(); ++it) {
        if (it->seq == seq) {
          it->ok = r.value("ok", false);
          break;
        }
      }
    } else if (type == "file_backup") {
      journaled_file f;
      f.path = r.value("path", "");
      f.first_step = r.value("step", "");
      f.steps.insert(f.first_step);
      f.existed = r.value("existed", true);
      f.sha256_before = string_or_empty(r, "sha256_before");
      f.backup = r.value("backup", "");
      f.known_sha256.insert(f.sha256_before);
      if (f.path.empty()) continue;
      if (f.first_step != "engine") out.steps.insert(f.first_step);
      out.files.emplace(f.path, std::move(f));
    } else if (type == "file_state") {
      const auto it = out.files.find(r.value("path", ""));
      if (it == out.files.end()) continue;
      it->second.steps.insert(r.value("step", ""));
      it->second.known_sha256.insert(string_or_empty(r, "sha256"));
    } else if (type == "rotation_start") {
      out.rotation = r;
    } else if (type == "run_end") {
      out.ended = true;
    }
  }
  if (!started) {
    throw core::runtime_error(
        fmt::format("{}: no run_start record; this is not a complete smharden journal", run.journal().string()));
  }
  return out;
}

}  // namespace smharden::journal
