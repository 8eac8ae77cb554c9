#include "services/iis/iis_service.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <system_error>
#include <vector>

#include "base/atomic_file.hpp"
#include "services/iis/iis_method_support.hpp"
#include "services/iis/iis_model.hpp"

namespace smharden::services {
namespace iis {
namespace {

// Whether the file holds exactly `expected`, compared block by block: a 10 MB config is not read into
// a second buffer before every commit. Throws std::system_error when the file cannot be read.
bool file_holds(const std::filesystem::path& path, std::string_view expected) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::system_error(errno, std::generic_category(), "cannot read " + path.string());
  std::vector<char> block(size_t{1} << 16);
  size_t at = 0;
  while (in.read(block.data(), static_cast<std::streamsize>(block.size())) || in.gcount() > 0) {
    const std::string_view got(block.data(), static_cast<size_t>(in.gcount()));
    if (got.size() > expected.size() - at || expected.substr(at, got.size()) != got) return false;
    at += got.size();
  }
  if (in.bad()) throw std::system_error(errno, std::generic_category(), "cannot read " + path.string());
  return at == expected.size();
}

}  // namespace

std::string password_marker(std::string_view secret_name, std::string_view password) {
  return fmt::format("[set-by-smharden:secret:{};lab-sha256={}]", secret_name,
                     util::sha256_hex("lab-app-pool:" + std::string(password)));
}

std::filesystem::path config_path(const target& t) {
  const json cfg = t.service_config("iis");
  if (cfg.contains("config") && cfg["config"].is_string()) {
    std::filesystem::path p = cfg["config"].get<std::string>();
    return p.is_absolute() || t.root.empty() ? p : t.root / p;
  }
  if (t.kind == target_kind::local) {
    const char* windir = std::getenv("windir");
    if (windir == nullptr) windir = std::getenv("SystemRoot");
    return std::filesystem::path(windir != nullptr ? windir : "C:\\Windows") / "system32" / "inetsrv" / "config" /
           "applicationHost.config";
  }
  auto in_iis = t.root / "iis" / "applicationHost.config";
  if (t.kind == target_kind::offline && !std::filesystem::exists(in_iis) &&
      std::filesystem::exists(t.root / "applicationHost.config")) {
    return t.root / "applicationHost.config";
  }
  return in_iis;
}

iis_service::iis_service(const target& t, service_env& env)
    : target_(t), env_(env), writes_(env), path_(config_path(t)) {
  const json cfg = t.service_config("iis");
  history_dir_ = cfg.contains("history_dir") && cfg["history_dir"].is_string()
                     ? std::filesystem::path(cfg["history_dir"].get<std::string>())
                     : path_.parent_path() / "history";
  if (cfg.contains("history_keep") && cfg["history_keep"].is_number_unsigned()) {
    history_keep_ = std::max<size_t>(1, cfg["history_keep"].get<size_t>());
  }
  if (t.kind == target_kind::local) identity_writer_ = make_ahadmin_identity_writer();
}

preserving_xml& iis_service::doc() {
  if (doc_) return *doc_;
  if (!on_disk_) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path_, ec)) {
      throw service_error("unavailable",
                          fmt::format("{}: no applicationHost.config here (is IIS installed? for a lab, run `smharden "
                                      "lab init DIR`; to use another file set {{\"iis\": {{\"config\": PATH}}}} in "
                                      "target.json)",
                                      path_.string()));
    }
    try {
      on_disk_ = util::read_file(path_);
    } catch (const std::system_error& e) {
      throw service_error("unavailable", fmt::format("{}: cannot read ({})", path_.string(), e.what()));
    }
  }
  auto parsed = std::make_unique<preserving_xml>();
  std::string text = std::move(*on_disk_);  // one copy of a 10 MB file is enough
  on_disk_.reset();                         // (after a parse error the next call re-reads the file)
  try {
    parsed->load(std::move(text));
  } catch (const xml_syntax_error& e) {
    throw service_error("failed", fmt::format("{}:{}:{}: applicationHost.config is not well-formed XML ({}); smharden "
                                              "left it untouched. Repair it or restore a copy from {} or IIS's "
                                              "configuration history (%SystemDrive%\\inetpub\\history)",
                                              path_.string(), e.line(), e.column(), e.what(), history_dir_.string()));
  }
  if (std::string_view(parsed->root().name()) != "configuration") {
    throw service_error("failed", fmt::format("{}: the root element is <{}>, expected <configuration>; is this an "
                                              "applicationHost.config?",
                                              path_.string(), parsed->root().name()));
  }
  doc_ = std::move(parsed);
  return *doc_;
}

void iis_service::ensure_unchanged_on_disk() const {
  // The file must still hold what smharden last read or wrote; someone else (IIS Manager, appcmd)
  // may have written it since.
  const std::string& expected = written_ ? *written_ : doc_->original();
  try {
    if (!file_holds(path_, expected)) {
      throw service_error("conflict", fmt::format("{} changed on disk since smharden read it (another tool wrote "
                                                  "it); nothing was written, run again",
                                                  path_.string()));
    }
  } catch (const std::system_error& e) {
    throw service_error("failed", fmt::format("{}: cannot re-read before writing ({})", path_.string(), e.what()));
  }
}

void iis_service::keep_history_copy() {
  if (wrote_this_run_) return;
  writes_.announce(path_);  // the config's backup first: when it cannot be made, nothing is written
  write_history_copy(written_ ? *written_ : doc_->original());
  wrote_this_run_ = true;
}

void iis_service::commit_step() {
  if (!doc_ || doc_->edit_count() == committed_edits_) return;
  ensure_unchanged_on_disk();
  keep_history_copy();
  // The document keeps the bytes first read and every edit since: serialize() gives the whole
  // new file without parsing what was just written again.
  std::string text = doc_->serialize();
  writes_.write(path_, text);
  if (env_.log) env_.log(fmt::format("iis: wrote {} ({} bytes)", path_.string(), text.size()));
  written_ = std::move(text);
  committed_edits_ = doc_->edit_count();
}

void iis_service::write_history_copy(const std::string& bytes) {
  std::filesystem::create_directories(history_dir_);
  const auto stem = path_.stem().string();
  const auto ext = path_.extension().string();
  std::filesystem::path copy = history_dir_ / fmt::format("{}.{}{}", stem, utc_stamp(), ext);
  for (int i = 1; std::filesystem::exists(copy); ++i) {
    copy = history_dir_ / fmt::format("{}.{}-{}{}", stem, utc_stamp(), i, ext);
  }
  // The history copy and the pruning are changes too: journaled like the config, so a rollback (or a
  // kill mid-copy) leaves the history folder as it was.
  writes_.write(copy, bytes);
  std::vector<std::filesystem::path> copies;
  for (const auto& e : std::filesystem::directory_iterator(history_dir_)) {
    const auto name = e.path().filename().string();
    if (e.is_regular_file() && name.starts_with(stem + ".") && name.ends_with(ext)) copies.push_back(e.path());
  }
  std::sort(copies.begin(), copies.end());
  for (size_t i = 0; i + history_keep_ < copies.size(); ++i) {
    writes_.remove(copies[i]);
  }
}

json iis_service::set_identity_through_iis(const std::string& pool, const std::string& user,
                                           const std::string& password) {
  if (!identity_writer_) {
    throw service_error("unavailable",
                        fmt::format("setting an app pool password needs IIS's configuration API, which only a Windows "
                                    "server with IIS has; IIS must encrypt the password. Set it in IIS Manager: "
                                    "Application Pools > {} > Advanced Settings > Identity > Custom account",
                                    pool));
  }
  // IIS writes the file itself: this step's edits go first, then the same checks and journal entry as
  // a commit of ours, then the document is read again to see what IIS wrote.
  if (doc_->edit_count() != committed_edits_) {
    commit_step();  // checks the file on disk before it writes
  } else {
    ensure_unchanged_on_disk();
  }
  keep_history_copy();
  try {
    identity_writer_->set_specific_user(pool, user, password);
  } catch (...) {
    writes_.report_from_disk(path_);  // IIS may have written before it failed
    throw;
  }
  if (env_.log) env_.log(fmt::format("iis: app pool \"{}\" now runs as {} (password set through IIS)", pool, user));
  doc_.reset();
  written_.reset();
  on_disk_.reset();
  committed_edits_ = 0;
  preserving_xml* d = nullptr;
  try {
    d = &doc();
  } catch (...) {
    writes_.report_from_disk(path_);
    throw;
  }
  writes_.report(path_, d->original());
  return app_pool_json(*d, require_app_pool(*d, pool), sites_);
}

void iis_service::use_identity_writer(std::unique_ptr<app_pool_identity_writer> writer) {
  identity_writer_ = std::move(writer);
}

void iis_service::discard_step() {
  if (!doc_ || doc_->edit_count() == committed_edits_) return;
  // The failed step's edits are mixed into the document: start again from what is on disk.
  on_disk_ = written_ ? std::move(*written_) : doc_->release_original();
  written_.reset();
  doc_.reset();
  committed_edits_ = 0;
}

size_t iis_service::config_bytes() { return written_ ? written_->size() : doc().original().size(); }

void iis_service::register_methods(registry& r) {
  add_methods(r, *this, site_and_pool_methods());
  add_methods(r, *this, security_methods());
  add_methods(r, *this, header_methods());
}

}  // namespace iis

std::unique_ptr<service> make_iis_service(const target& t, service_env& env) {
  return std::make_unique<iis::iis_service>(t, env);
}

void seed_iis_lab(const std::filesystem::path& dir) {
  const auto iis_dir = dir / "iis";
  std::filesystem::create_directories(iis_dir);
  const auto file = iis_dir / "applicationHost.config";
  if (!std::filesystem::exists(file)) util::write_file_atomic(file, iis::lab_template());
}

}  // namespace smharden::services
