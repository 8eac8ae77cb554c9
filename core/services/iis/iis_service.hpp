// The `iis` service: applicationHost.config as one in-memory document per
// run. Plugins read and edit it through `iis.*` methods; the engine commits
// after each step (history copy once per run, then an atomic write) or
// discards a failed step's edits. See docs/services.md, section "iis".
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "services/iis/app_pool_identity_writer.hpp"
#include "services/iis/iis_model.hpp"
#include "services/iis/preserving_xml.hpp"
#include "services/service.hpp"

namespace smharden::services {

/// The iis service for `t` (local, offline or lab).
std::unique_ptr<service> make_iis_service(const target& t, service_env& env);

/// Writes the lab's IIS 10 applicationHost.config (SmarterMail site on *:9998:)
/// into `dir`/iis/.
void seed_iis_lab(const std::filesystem::path& dir);

namespace iis {

/// The embedded lab template (core/services/iis/lab/applicationHost.config).
std::string_view lab_template();

/// Where the target's applicationHost.config is: target.json {"iis": {"config"}} first, then
/// %windir%\system32\inetsrv\config (local) or <root>/iis/applicationHost.config.
std::filesystem::path config_path(const target& t);

/// What a lab writes instead of an app pool password: visibly not the secret, with a hash of it
/// (`;lab-sha256=` sha256 of "lab-app-pool:" + password) so that a lab can tell whether the pool's
/// password is the user's (a password rotation's tests do).
std::string password_marker(std::string_view secret_name, std::string_view password);

class iis_service final : public service {
 public:
  iis_service(const target& t, service_env& env);
  std::string name() const override { return "iis"; }
  void register_methods(registry& r) override;
  void commit_step() override;
  void discard_step() override;
  void end_run() noexcept override {}

  const std::filesystem::path& path() const noexcept { return path_; }
  /// Folder of the bounded history copies (one per run that writes).
  const std::filesystem::path& history_dir() const noexcept { return history_dir_; }
  /// Replaces what sets SpecificUser passwords on a local target (the IIS COM API on Windows,
  /// none elsewhere); tests put a stand-in for IIS here.
  void use_identity_writer(std::unique_ptr<app_pool_identity_writer> writer);

  // What the iis.* method functions work on.
  /// The parsed document, parsed on the first call (unavailable / failed when it cannot be).
  preserving_xml& doc();
  const target& target_info() const noexcept { return target_; }
  const service_env& env() const noexcept { return env_; }
  /// Sites with their pools and folders, read once per state of doc().
  site_index& sites() noexcept { return sites_; }
  /// The size of the file as last read or written.
  size_t config_bytes();
  /// Sets a SpecificUser identity with its password through IIS (local targets): commits this
  /// step's edits first, then lets IIS write the file, then reads it again. Returns the pool.
  json set_identity_through_iis(const std::string& pool, const std::string& user, const std::string& password);

 private:
  void ensure_unchanged_on_disk() const;
  void keep_history_copy();  // once per run, before the first write

  target target_;
  service_env& env_;
  journaled_writes writes_;
  std::filesystem::path path_;
  std::filesystem::path history_dir_;
  size_t history_keep_ = 10;
  void write_history_copy(const std::string& bytes);

  std::optional<std::string> on_disk_;  // the file's bytes, read (or kept) for the next parse
  std::unique_ptr<preserving_xml> doc_;
  site_index sites_;                    // sites with their pools and folders, per state of doc_
  std::optional<std::string> written_;  // what the last commit wrote (the document still holds the first bytes)
  size_t committed_edits_ = 0;          // doc_->edit_count() at the last commit
  bool wrote_this_run_ = false;
  std::unique_ptr<app_pool_identity_writer> identity_writer_;
};

}  // namespace iis
}  // namespace smharden::services
