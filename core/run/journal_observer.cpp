#include "run/journal_observer.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "base/atomic_file.hpp"
#include "base/errors.hpp"
#include "runtime/secret_masking.hpp"
#include "runtime/state_dir.hpp"
#include "services/service_registry.hpp"

namespace smharden::journal {

std::filesystem::path journal_path(const std::filesystem::path& file) {
  return std::filesystem::absolute(file).lexically_normal();
}

std::string file_sha256(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return "";
  return util::sha256_hex(util::read_file(file));
}

journal_observer::journal_observer(run_folder run, const core::redactor& redact, std::string mode,
                                   const std::atomic<bool>* cancel)
    : run_(std::move(run)),
      redact_(redact),
      mode_(std::move(mode)),
      cancel_(cancel),
      faults_(installed_fault_injector()) {
  std::filesystem::create_directories(run_.dir);
  writer_ = std::make_unique<journal_writer>(run_.journal());
}

std::unique_ptr<journal_observer> journal_observer::reopen(run_folder run, const core::redactor& redact) {
  const std::string text = util::read_file(run.journal());
  const std::size_t keep = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
  if (keep < text.size()) std::filesystem::resize_file(run.journal(), keep);
  std::int64_t mutations = 0;
  for (const auto& r : read_journal(run.journal()).records) {
    if (r.value("type", "") == "mutation") mutations = std::max(mutations, r.value("seq", std::int64_t{0}));
  }
  auto observer = std::make_unique<journal_observer>(std::move(run), redact, "apply");
  observer->seq_ = mutations;
  return observer;
}

void journal_observer::record(const std::string& type, json fields) {
  json r = {{"type", type}, {"at", core::utc_now_iso()}};
  for (auto& [key, value] : fields.items()) r[key] = std::move(value);
  const std::size_t number = writer_->records_written() + 1;
  if (faults_ != nullptr && faults_->tear_write(mode_, number)) {
    writer_->append_torn_for_test(r);
    faults_->die();
  }
  writer_->append(r);
  if (faults_ != nullptr) faults_->after_journal_write(mode_, number);
  if (audit_ != nullptr) audit_->record(mode_, run_.id(), type, r);
}

void journal_observer::before_mutation(const std::string& step, const std::string& method, const json& params,
                                       const services::undo_record& undo) {
  if (cancel_ != nullptr && cancel_->load()) {
    if (!interrupted_) {
      interrupted_ = true;
      record("interrupt", {{"after_seq", seq_}, {"step", step}, {"refused", method}});
    }
    throw services::service_error(
        "cancelled", fmt::format("not run: the operator interrupted the run (Ctrl-C or SIGTERM) before {}", method));
  }
  const json safe_params = mask_secrets(params, redact_);
  const json safe_undo = mask_secrets(undo.calls, redact_);
  json r = {{"seq", seq_ + 1},
            {"step", step},
            {"method", method},
            {"params", safe_params},
            {"undo", safe_undo},
            {"needs_secrets", undo.needs_secrets},
            {"description", redact_.apply(undo.description)}};
  // The undo calls are replayed as journaled: if masking had to change them,
  // replaying them would write "***" somewhere, so rollback refuses them.
  if (safe_undo != undo.calls) r["undo_redacted"] = true;
  record("mutation", std::move(r));
  ++seq_;
  open_call_ = true;
}

void journal_observer::after_mutation(const std::string& /*step*/, const std::string& /*method*/, bool ok) {
  if (faults_ != nullptr) faults_->after_mutation(mode_, static_cast<std::size_t>(seq_));
  open_call_ = false;
  record("mutation_done", {{"seq", seq_}, {"ok", ok}});
}

void journal_observer::before_file_write(const std::string& step, const std::filesystem::path& file) {
  const auto path = journal_path(file);
  const std::string key = path.string();
  if (const auto it = files_.find(key); it != files_.end()) {
    it->second.reported.reset();  // written again: known once reported
    return;
  }
  std::error_code ec;
  const bool existed = std::filesystem::exists(path, ec);
  json r = {{"step", step}, {"path", key}, {"existed", existed}};
  tracked_file tracked;
  tracked.exists = existed;
  if (existed) {
    std::string bytes;
    try {
      bytes = util::read_file(path);
    } catch (const std::exception& e) {
      throw services::service_error("failed", fmt::format("cannot back up {} before changing it ({}); nothing was "
                                                          "written",
                                                          key, e.what()));
    }
    ++backups_;
    const std::string name = fmt::format("{:04}-{}", backups_, path.filename().string());
    std::filesystem::create_directories(run_.backups());
    // The copy is durable before the journal names it, and both before the write.
    util::write_file_atomic(run_.backups() / name, bytes);
    tracked.sha256 = util::sha256_hex(bytes);
    r["sha256_before"] = tracked.sha256;
    r["size"] = bytes.size();
    r["backup"] = "backups/" + name;
  } else {
    r["sha256_before"] = nullptr;
  }
  record("file_backup", std::move(r));
  files_.emplace(key, tracked);
}

void journal_observer::file_written(const std::string& /*step*/, const std::filesystem::path& file,
                                    const std::optional<std::string>& sha256) {
  const auto it = files_.find(journal_path(file).string());
  if (it != files_.end()) it->second.reported = sha256.value_or("");
}

void journal_observer::note_file_changes(const std::string& step) {
  for (auto& [path, tracked] : files_) {
    std::string sha;
    if (tracked.reported) {
      sha = *tracked.reported;
    } else {
      try {
        sha = file_sha256(path);
      } catch (const std::exception&) {
        continue;  // unreadable now; rollback compares again anyway
      }
    }
    const bool exists = !sha.empty();
    if (exists == tracked.exists && sha == tracked.sha256) continue;
    tracked.exists = exists;
    tracked.sha256 = sha;
    record("file_state", {{"step", step}, {"path", path}, {"sha256", exists ? json(sha) : json(nullptr)}});
  }
}

void journal_observer::step_finished(const std::string& step, const std::string& status) {
  note_file_changes(step);
  record("step_end", {{"step", step}, {"status", status}});
}

}  // namespace smharden::journal
