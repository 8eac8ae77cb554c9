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

#include "services/iis/iis_model.hpp"
#include "util/atomic_file.hpp"

#ifdef _WIN32
#include <process.h>
#endif

namespace smharden::services {
namespace iis {
namespace {

constexpr const char* default_install_dirs[] = {R"(C:\Program Files (x86)\SmarterTools\SmarterMail)",
                                                R"(C:\Program Files\SmarterTools\SmarterMail)"};
constexpr const char* identity_types[] = {"LocalSystem", "LocalService", "NetworkService", "SpecificUser",
                                          "ApplicationPoolIdentity"};
constexpr const char* deny_actions[] = {"AbortRequest", "Unauthorized", "Forbidden", "NotFound"};

std::string optional_string(const json& params, const char* key) {
  const auto it = params.find(key);
  if (it == params.end() || it->is_null()) return {};
  if (!it->is_string()) throw service_error("invalid_params", fmt::format("parameter \"{}\" must be a string", key));
  return it->get<std::string>();
}

template <size_t N>
std::string require_enum(const json& params, const char* key, const char* const (&allowed)[N]) {
  const std::string v = require_string(params, key);
  for (const char* a : allowed) {
    if (iequals(v, a)) return a;
  }
  std::vector<std::string> names(std::begin(allowed), std::end(allowed));
  throw service_error("invalid_params",
                      fmt::format("parameter \"{}\" is \"{}\"; expected one of {}", key, v, fmt::join(names, ", ")));
}

const char* bool_text(bool b) { return b ? "true" : "false"; }

std::optional<bool> optional_bool(const json& params, const char* key) {
  const auto it = params.find(key);
  if (it == params.end() || it->is_null()) return std::nullopt;
  if (!it->is_boolean())
    throw service_error("invalid_params", fmt::format("parameter \"{}\" must be true or false", key));
  return it->get<bool>();
}

std::optional<unsigned> optional_uint(const json& params, const char* key) {
  const auto it = params.find(key);
  if (it == params.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || it->get<long long>() < 0) {
    throw service_error("invalid_params", fmt::format("parameter \"{}\" must be a non-negative integer", key));
  }
  return it->get<unsigned>();
}

// "IP:port:host"; IP is *, a dotted IPv4 address, or a bracketed IPv6 address.
void validate_binding_information(std::string_view protocol, std::string_view info) {
  if (protocol != "http" && protocol != "https") return;  // net.tcp etc. have other shapes
  size_t colon = 0;
  if (info.starts_with('[')) {
    const size_t close = info.find(']');
    colon = close == std::string_view::npos ? std::string_view::npos : close + 1;
  } else {
    colon = info.find(':');
  }
  const size_t second = colon == std::string_view::npos ? colon : info.find(':', colon + 1);
  const std::string_view port =
      second == std::string_view::npos ? std::string_view() : info.substr(colon + 1, second - colon - 1);
  if (colon == 0 || colon >= info.size() || info[colon] != ':' || second == std::string_view::npos || port.empty() ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw service_error("invalid_params",
                        fmt::format("binding_information \"{}\" is not IP:port:host (e.g. \"127.0.0.1:9998:\" or "
                                    "\"*:443:mail.example.com\")",
                                    info));
  }
}

json binding_params(const json& b) {
  if (!b.is_object())
    throw service_error("invalid_params", "each binding must be an object {protocol, binding_information}");
  json out = {{"protocol", require_string(b, "protocol")},
              {"binding_information", require_string(b, "binding_information")}};
  validate_binding_information(out["protocol"].get<std::string>(), out["binding_information"].get<std::string>());
  if (b.contains("ssl_flags") && !b["ssl_flags"].is_null()) {
    if (!b["ssl_flags"].is_number_integer() || b["ssl_flags"].get<long long>() < 0)
      throw service_error("invalid_params", "ssl_flags must be a non-negative integer");
    out["ssl_flags"] = b["ssl_flags"];
  }
  return out;
}

bool same_binding(pugi::xml_node b, const json& want) {
  return iequals(b.attribute("protocol").value(), want["protocol"].get<std::string>()) &&
         iequals(b.attribute("bindingInformation").value(), want["binding_information"].get<std::string>());
}

std::string utc_stamp() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  return fmt::format("{:%Y%m%dT%H%M%S}{:03d}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(now)), ms);
}

json entry_params(const json& e) {
  if (!e.is_object()) throw service_error("invalid_params", "each ip_security entry must be an object");
  json out = {{"ip_address", e.value("ip_address", "")},
              {"subnet_mask", e.value("subnet_mask", "255.255.255.255")},
              {"domain_name", e.value("domain_name", "")},
              {"allowed", e.value("allowed", false)}};
  if (out["ip_address"].get<std::string>().empty() == out["domain_name"].get<std::string>().empty()) {
    throw service_error("invalid_params", "each ip_security entry needs exactly one of ip_address or domain_name");
  }
  return out;
}

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

#ifdef _WIN32
// Runs %windir%\system32\inetsrv\appcmd.exe with `args` (never a secret).
int run_appcmd(const std::vector<std::wstring>& args) {
  const wchar_t* windir = _wgetenv(L"windir");
  const std::wstring exe =
      std::wstring(windir != nullptr ? windir : L"C:\\Windows") + L"\\system32\\inetsrv\\appcmd.exe";
  std::vector<std::wstring> quoted{L"\"" + exe + L"\""};
  for (const auto& a : args) quoted.push_back(L"\"" + a + L"\"");
  std::vector<const wchar_t*> argv;
  for (const auto& q : quoted) argv.push_back(q.c_str());
  argv.push_back(nullptr);
  return static_cast<int>(_wspawnv(_P_WAIT, exe.c_str(), argv.data()));
}
#endif

}  // namespace

std::string password_marker(std::string_view secret_name) {
  return fmt::format("[set-by-smharden:secret:{}]", secret_name);
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

iis_service::iis_service(const target& t, service_env& env) : target_(t), env_(env), path_(config_path(t)) {
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

void iis_service::journal_first_write() {
  if (wrote_this_run_) return;
  if (env_.before_file_write) env_.before_file_write(path_);
  write_history_copy(written_ ? *written_ : doc_->original());
  wrote_this_run_ = true;
}

void iis_service::commit_step() {
  if (!doc_ || doc_->edit_count() == committed_edits_) return;
  ensure_unchanged_on_disk();
  journal_first_write();
  // The document keeps the bytes first read and every edit since: serialize() gives the whole
  // new file without parsing what was just written again.
  std::string text = doc_->serialize();
  util::write_file_atomic(path_, text);
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
  if (env_.before_file_write) env_.before_file_write(copy);
  util::write_file_atomic(copy, bytes);
  std::vector<std::filesystem::path> copies;
  for (const auto& e : std::filesystem::directory_iterator(history_dir_)) {
    const auto name = e.path().filename().string();
    if (e.is_regular_file() && name.starts_with(stem + ".") && name.ends_with(ext)) copies.push_back(e.path());
  }
  std::sort(copies.begin(), copies.end());
  for (size_t i = 0; i + history_keep_ < copies.size(); ++i) {
    if (env_.before_file_write) env_.before_file_write(copies[i]);
    std::filesystem::remove(copies[i]);
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
  journal_first_write();
  identity_writer_->set_specific_user(pool, user, password);
  if (env_.log) env_.log(fmt::format("iis: app pool \"{}\" now runs as {} (password set through IIS)", pool, user));
  doc_.reset();
  written_.reset();
  on_disk_.reset();
  committed_edits_ = 0;
  preserving_xml& d = doc();
  return app_pool_json(d, require_app_pool(d, pool), sites_);
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

void iis_service::register_methods(registry& r) {
  auto ro = [&r](const char* name, const char* summary, std::function<json(const json&)> fn) {
    r.add({name, access::read_only, summary, std::move(fn), nullptr});
  };
  auto mut = [&r](const char* name, const char* summary, std::function<json(const json&)> fn,
                  std::function<undo_record(const json&)> undo) {
    r.add({name, access::mutating, summary, std::move(fn), std::move(undo)});
  };

  ro("iis.config.info", "path of applicationHost.config, number of sites and app pools", [this](const json&) {
    preserving_xml& d = doc();
    size_t sites = 0;
    for (auto s : sites_node(d).children("site")) sites += s ? 1 : 0;
    size_t pools = 0;
    for (auto p : d.root().child("system.applicationHost").child("applicationPools").children("add"))
      pools += p ? 1 : 0;
    return json{{"path", path_.string()},
                {"history_dir", history_dir_.string()},
                {"sites", sites},
                {"app_pools", pools},
                {"bytes", written_ ? written_->size() : d.original().size()}};
  });

  ro("iis.sites.list", "every site: name, id, app pool, physical path, bindings", [this](const json&) {
    preserving_xml& d = doc();
    json out = json::array();
    for (auto s : sites_node(d).children("site")) out.push_back(site_json(d, s));
    return json{{"sites", std::move(out)}};
  });

  ro("iis.site.get", "one site by name", [this](const json& p) {
    preserving_xml& d = doc();
    return site_json(d, require_site(d, require_string(p, "name")));
  });

  ro("iis.site.find",
     "the SmarterMail site: by {name}, else the one site whose physical path is under {install_dir} "
     "(default: SmarterMail's install folders); ambiguous -> conflict listing the candidates",
     [this](const json& p) {
       preserving_xml& d = doc();
       const std::string name = optional_string(p, "name");
       if (!name.empty()) return site_json(d, require_site(d, name));
       std::vector<std::string> dirs;
       const std::string install = optional_string(p, "install_dir");
       if (!install.empty()) {
         dirs.push_back(install);
       } else {
         dirs.assign(std::begin(default_install_dirs), std::end(default_install_dirs));
       }
       const folder_matcher under_install(dirs);
       std::vector<pugi::xml_node> hits;
       for (const site_index::entry& s : sites_.sites(d)) {
         if (under_install.contains(s.physical_path)) hits.push_back(s.site);
       }
       if (hits.size() == 1) return site_json(d, hits.front());
       if (hits.empty()) {
         throw service_error("not_found",
                             fmt::format("no IIS site in {} has its physical path under {}; is SmarterMail's web "
                                         "interface hosted in IIS here? If it is, name the site with the step "
                                         "parameter \"site\" (or set \"install_dir\")",
                                         path_.string(), fmt::join(dirs, " or ")));
       }
       std::vector<std::string> candidates;
       candidates.reserve(hits.size());
       for (auto s : hits) {
         candidates.push_back(fmt::format("\"{}\" ({})", s.attribute("name").value(), site_physical_path(s)));
       }
       throw service_error("conflict",
                           fmt::format("{} IIS sites serve SmarterMail's folder: {}; name the one to harden "
                                       "with the step parameter \"site\"",
                                       hits.size(), fmt::join(candidates, ", ")));
     });

  ro("iis.app_pool.get", "an app pool's identity (identity_type, user_name, password state, never the password)",
     [this](const json& p) {
       preserving_xml& d = doc();
       return app_pool_json(d, require_app_pool(d, require_string(p, "name")), sites_);
     });

  auto snapshot_identity = [this](const json& p) {
    preserving_xml& d = doc();
    const std::string name = require_string(p, "name");
    const pugi::xml_node pool = require_app_pool(d, name);
    const pugi::xml_node pm = pool.child("processModel");
    undo_record u;
    json xml = nullptr;
    if (pm) {
      pugi::xml_document copy;
      pugi::xml_node c = copy.append_copy(pm);
      // A clear-text password never goes into the journal.
      if (password_state(c.attribute("password").value()) == "clear-text") {
        c.remove_attribute("password");
        u.description = fmt::format(
            "restore app pool \"{}\" identity (its previous clear-text password is not "
            "journalled and must be re-entered after a rollback)",
            name);
      }
      xml = element_xml(c);
    }
    if (u.description.empty()) u.description = fmt::format("restore app pool \"{}\" identity", name);
    u.calls.push_back({{"method", "iis.app_pool.restore_identity"},
                       {"params", {{"name", pool.attribute("name").value()}, {"process_model_xml", xml}}}});
    return u;
  };

  mut(
      "iis.app_pool.set_identity",
      "set {name}'s identity_type; SpecificUser needs user_name and password_secret (the secret's name: a lab writes "
      "a marker, never the secret)",
      [this](const json& p) {
        preserving_xml& d = doc();
        const pugi::xml_node pool = require_app_pool(d, require_string(p, "name"));
        const std::string type = require_enum(p, "identity_type", identity_types);
        std::string user;
        std::string secret_name;
        if (type == "SpecificUser") {
          user = require_string(p, "user_name");
          secret_name = require_string(p, "password_secret");
          if (user.empty()) throw service_error("invalid_params", "user_name must not be empty for SpecificUser");
          if (!env_.secret || !env_.secret(secret_name)) {
            throw service_error(
                "invalid_params",
                fmt::format("the secret \"{}\" (the app pool user's password) was not supplied; "
                            "run the accounts step first or supply it (see `smharden --help` on secrets)",
                            secret_name));
          }
          if (target_.kind == target_kind::local) {
            return set_identity_through_iis(pool.attribute("name").value(), user, *env_.secret(secret_name));
          }
        }
        pugi::xml_node pm = pool.child("processModel");
        if (!pm) pm = d.append_element(pool, "processModel");
        d.set_attribute(pm, "identityType", type);
        if (type == "SpecificUser") {
          d.set_attribute(pm, "userName", user);
          d.set_attribute(pm, "password", password_marker(secret_name));
        } else {
          d.remove_attribute(pm, "userName");
          d.remove_attribute(pm, "password");
        }
        return app_pool_json(d, pool, sites_);
      },
      snapshot_identity);

  mut(
      "iis.app_pool.restore_identity",
      "undo of set_identity: put back {name}'s <processModel> from {process_model_xml} (null: remove it)",
      [this](const json& p) {
        preserving_xml& d = doc();
        const pugi::xml_node pool = require_app_pool(d, require_string(p, "name"));
        const auto it = p.find("process_model_xml");
        pugi::xml_node pm = pool.child("processModel");
        if (it == p.end() || it->is_null()) {
          if (pm) d.remove_element(pm);
          return app_pool_json(d, pool, sites_);
        }
        if (!it->is_string()) throw service_error("invalid_params", "process_model_xml must be a string or null");
        pugi::xml_document fragment;
        if (!fragment.load_string(it->get<std::string>().c_str()) ||
            std::string_view(fragment.document_element().name()) != "processModel") {
          throw service_error("invalid_params", "process_model_xml is not a <processModel> element");
        }
        const pugi::xml_node want = fragment.document_element();
        if (!pm) pm = d.append_element(pool, "processModel");
        std::vector<std::string> drop;
        for (auto a : pm.attributes()) {
          if (!want.attribute(a.name())) drop.emplace_back(a.name());
        }
        for (const auto& a : drop) d.remove_attribute(pm, a.c_str());
        for (auto a : want.attributes()) d.set_attribute(pm, a.name(), a.value());
        return app_pool_json(d, pool, sites_);
      },
      snapshot_identity);

  mut(
      "iis.app_pool.recycle", "recycle an app pool (lab: logged to iis/recycle.log; local: appcmd recycle apppool)",
      [this](const json& p) {
        preserving_xml& d = doc();
        const std::string name = require_app_pool(d, require_string(p, "name")).attribute("name").value();
        if (target_.kind == target_kind::lab) {
          std::ofstream log(path_.parent_path() / "recycle.log", std::ios::app);
          log << utc_stamp() << " recycle " << name << "\n";
          return json{{"name", name}, {"recycled", true}};
        }
        if (target_.kind == target_kind::offline) {
          return json{{"name", name}, {"recycled", false}, {"reason", "offline copy: nothing runs"}};
        }
#ifdef _WIN32
        std::wstring wname(name.begin(), name.end());
        const int rc = run_appcmd({L"recycle", L"apppool", L"/apppool.name:" + wname});
        if (rc != 0)
          throw service_error("failed", fmt::format("appcmd recycle apppool \"{}\" exited with {}", name, rc));
        return json{{"name", name}, {"recycled", true}};
#else
        throw service_error("unavailable", "recycling a real app pool needs Windows");
#endif
      },
      [](const json&) {
        return undo_record{json::array(), {}, "an app pool recycle cannot be undone (nor needs to be)"};
      });

  ro("iis.bindings.get", "a site's bindings [{protocol, binding_information, ssl_flags}]", [this](const json& p) {
    preserving_xml& d = doc();
    const pugi::xml_node site = require_site(d, require_string(p, "site"));
    return json{{"site", site.attribute("name").value()}, {"bindings", bindings_json(site)}};
  });

  auto snapshot_bindings = [this](const json& p) {
    preserving_xml& d = doc();
    const pugi::xml_node site = require_site(d, require_string(p, "site"));
    undo_record u;
    u.description = fmt::format("restore the bindings of site \"{}\"", site.attribute("name").value());
    u.calls.push_back({{"method", "iis.bindings.set"},
                       {"params", {{"site", site.attribute("name").value()}, {"bindings", bindings_json(site)}}}});
    return u;
  };

  auto set_bindings = [this](pugi::xml_node site, const std::vector<json>& want) {
    preserving_xml& d = doc();
    if (want.empty()) {
      throw service_error("refused",
                          fmt::format("refusing to leave site \"{}\" with no binding", site.attribute("name").value()));
    }
    pugi::xml_node bindings = site.child("bindings");
    if (!bindings) bindings = d.append_element(site, "bindings");
    std::vector<pugi::xml_node> drop;
    for (auto b : bindings.children("binding")) {
      if (std::none_of(want.begin(), want.end(), [&](const json& w) { return same_binding(b, w); })) drop.push_back(b);
    }
    for (const json& w : want) {
      pugi::xml_node have;
      for (auto b : bindings.children("binding")) {
        if (same_binding(b, w)) have = b;
      }
      if (!have) {
        have = d.append_element(bindings, "binding");
        d.set_attribute(have, "protocol", w["protocol"].get<std::string>());
        d.set_attribute(have, "bindingInformation", w["binding_information"].get<std::string>());
      }
      if (w.contains("ssl_flags")) d.set_attribute(have, "sslFlags", std::to_string(w["ssl_flags"].get<unsigned>()));
    }
    for (auto b : drop) d.remove_element(b);
    return json{{"site", site.attribute("name").value()}, {"bindings", bindings_json(site)}};
  };

  mut(
      "iis.bindings.set", "make a site's bindings exactly {bindings}; refuses an empty list",
      [this, set_bindings](const json& p) {
        const pugi::xml_node site = require_site(doc(), require_string(p, "site"));
        const auto it = p.find("bindings");
        if (it == p.end() || !it->is_array())
          throw service_error("invalid_params", "parameter \"bindings\" (array) is required");
        std::vector<json> want;
        for (const json& b : *it) want.push_back(binding_params(b));
        return set_bindings(site, want);
      },
      snapshot_bindings);

  mut(
      "iis.bindings.add", "add {protocol, binding_information, ssl_flags} to a site (no-op when present)",
      [this, set_bindings](const json& p) {
        const pugi::xml_node site = require_site(doc(), require_string(p, "site"));
        std::vector<json> want;
        for (const json& b : bindings_json(site)) want.push_back(b);
        const json add = binding_params(p);
        const bool present = std::any_of(want.begin(), want.end(), [&](const json& w) {
          return iequals(w["protocol"].get<std::string>(), add["protocol"].get<std::string>()) &&
                 iequals(w["binding_information"].get<std::string>(), add["binding_information"].get<std::string>());
        });
        if (!present) want.push_back(add);
        return set_bindings(site, want);
      },
      snapshot_bindings);

  mut(
      "iis.bindings.remove", "remove {protocol, binding_information} from a site; refuses to remove the last one",
      [this, set_bindings](const json& p) {
        const pugi::xml_node site = require_site(doc(), require_string(p, "site"));
        const json drop = binding_params(p);
        std::vector<json> want;
        for (const json& b : bindings_json(site)) {
          if (!(iequals(b["protocol"].get<std::string>(), drop["protocol"].get<std::string>()) &&
                iequals(b["binding_information"].get<std::string>(), drop["binding_information"].get<std::string>()))) {
            want.push_back(b);
          }
        }
        return set_bindings(site, want);
      },
      snapshot_bindings);

  ro("iis.modules.get", "whether the IP and Domain Restrictions modules are installed (globalModules) and enabled",
     [this](const json&) { return modules_json(doc()); });

  auto section_undo = [this](const char* section) {
    return [this, section](const json& p) {
      preserving_xml& d = doc();
      const std::string site = require_site(d, require_string(p, "site")).attribute("name").value();
      const pugi::xml_node s = find_site_section(d, site, section);
      undo_record u;
      u.description = fmt::format("restore {} of site \"{}\"", section, site);
      u.calls.push_back(
          {{"method", "iis.section.restore"},
           {"params", {{"site", site}, {"section", section}, {"xml", s ? json(element_xml(s)) : json()}}}});
      return u;
    };
  };

  ro("iis.ip_security.get",
     "a site's effective ipSecurity (allow_unlisted, deny_action, entries; inherited server entries)",
     [this](const json& p) {
       preserving_xml& d = doc();
       return ip_security_json(d, require_site(d, require_string(p, "site")).attribute("name").value());
     });

  mut(
      "iis.ip_security.set",
      "set a site's ipSecurity in <location path=SITE>: allow_unlisted, deny_action, enable_reverse_dns, "
      "enable_proxy_mode, entries (exact, in order)",
      [this](const json& p) {
        preserving_xml& d = doc();
        const std::string site = require_site(d, require_string(p, "site")).attribute("name").value();
        std::optional<std::string> action;
        if (p.contains("deny_action") && !p["deny_action"].is_null())
          action = require_enum(p, "deny_action", deny_actions);
        const auto allow_unlisted = optional_bool(p, "allow_unlisted");
        const auto reverse_dns = optional_bool(p, "enable_reverse_dns");
        const auto proxy = optional_bool(p, "enable_proxy_mode");
        std::optional<std::vector<json>> entries;
        if (p.contains("entries") && !p["entries"].is_null()) {
          if (!p["entries"].is_array()) throw service_error("invalid_params", "entries must be an array");
          entries.emplace();
          for (const json& e : p["entries"]) entries->push_back(entry_params(e));
        }
        json before = ip_security_json(d, site);
        const bool entries_same = !entries || before["entries"] == json(*entries);
        const bool attrs_same = (!allow_unlisted || before["allow_unlisted"] == *allow_unlisted) &&
                                (!action || before["deny_action"] == *action) &&
                                (!reverse_dns || before["enable_reverse_dns"] == *reverse_dns) &&
                                (!proxy || before["enable_proxy_mode"] == *proxy);
        if (entries_same && attrs_same) return before;
        pugi::xml_node s = ensure_site_section(d, site, "ipSecurity");
        if (allow_unlisted) d.set_attribute(s, "allowUnlisted", bool_text(*allow_unlisted));
        if (action) d.set_attribute(s, "denyAction", *action);
        if (reverse_dns) d.set_attribute(s, "enableReverseDns", bool_text(*reverse_dns));
        if (proxy) d.set_attribute(s, "enableProxyMode", bool_text(*proxy));
        if (!entries_same) {
          std::vector<pugi::xml_node> old;
          for (auto c : s.children()) {
            if (c.type() == pugi::node_element) old.push_back(c);
          }
          for (auto c : old) d.remove_element(c);
          for (const json& e : *entries) {
            pugi::xml_node add = d.append_element(s, "add");
            if (!e["ip_address"].get<std::string>().empty()) {
              d.set_attribute(add, "ipAddress", e["ip_address"].get<std::string>());
              if (e["subnet_mask"] != "255.255.255.255") {
                d.set_attribute(add, "subnetMask", e["subnet_mask"].get<std::string>());
              }
            } else {
              d.set_attribute(add, "domainName", e["domain_name"].get<std::string>());
            }
            if (e["allowed"].get<bool>()) d.set_attribute(add, "allowed", "true");
          }
        }
        return ip_security_json(d, site);
      },
      section_undo("ipSecurity"));

  ro("iis.dynamic_ip_security.get",
     "a site's effective dynamicIpSecurity (deny_action, logging-only, concurrent and rate limits)",
     [this](const json& p) {
       preserving_xml& d = doc();
       return dynamic_ip_security_json(d, require_site(d, require_string(p, "site")).attribute("name").value());
     });

  mut(
      "iis.dynamic_ip_security.set",
      "set a site's dynamicIpSecurity: deny_action, enable_proxy_mode, enable_logging_only_mode, "
      "deny_by_concurrent_requests{enabled,max_concurrent_requests}, "
      "deny_by_request_rate{enabled,max_requests,request_interval_ms}",
      [this](const json& p) {
        preserving_xml& d = doc();
        const std::string site = require_site(d, require_string(p, "site")).attribute("name").value();
        struct edit {
          const char* element;  // nullptr: the section itself
          const char* attribute;
          std::string value;
        };
        std::vector<edit> edits;
        json before = dynamic_ip_security_json(d, site);
        auto want_bool = [&](const json& obj, const json& have, const char* key, const char* element,
                             const char* attr) {
          if (const auto v = optional_bool(obj, key); v && have[key] != *v)
            edits.push_back({element, attr, bool_text(*v)});
        };
        auto want_uint = [&](const json& obj, const json& have, const char* key, const char* element,
                             const char* attr) {
          if (const auto v = optional_uint(obj, key); v && have[key] != *v) {
            edits.push_back({element, attr, std::to_string(*v)});
          }
        };
        if (p.contains("deny_action") && !p["deny_action"].is_null()) {
          const std::string a = require_enum(p, "deny_action", deny_actions);
          if (before["deny_action"] != a) edits.push_back({nullptr, "denyAction", a});
        }
        want_bool(p, before, "enable_proxy_mode", nullptr, "enableProxyMode");
        want_bool(p, before, "enable_logging_only_mode", nullptr, "enableLoggingOnlyMode");
        if (p.contains("deny_by_concurrent_requests") && p["deny_by_concurrent_requests"].is_object()) {
          const json& c = p["deny_by_concurrent_requests"];
          const json& h = before["deny_by_concurrent_requests"];
          want_bool(c, h, "enabled", "denyByConcurrentRequests", "enabled");
          want_uint(c, h, "max_concurrent_requests", "denyByConcurrentRequests", "maxConcurrentRequests");
        }
        if (p.contains("deny_by_request_rate") && p["deny_by_request_rate"].is_object()) {
          const json& c = p["deny_by_request_rate"];
          const json& h = before["deny_by_request_rate"];
          want_bool(c, h, "enabled", "denyByRequestRate", "enabled");
          want_uint(c, h, "max_requests", "denyByRequestRate", "maxRequests");
          want_uint(c, h, "request_interval_ms", "denyByRequestRate", "requestIntervalInMilliseconds");
        }
        if (edits.empty()) return before;
        pugi::xml_node s = ensure_site_section(d, site, "dynamicIpSecurity");
        for (const edit& e : edits) {
          pugi::xml_node target_el = s;
          if (e.element != nullptr) {
            target_el = s.child(e.element);
            if (!target_el) target_el = d.append_element(s, e.element);
          }
          d.set_attribute(target_el, e.attribute, e.value);
        }
        return dynamic_ip_security_json(d, site);
      },
      section_undo("dynamicIpSecurity"));

  mut(
      "iis.section.restore",
      "undo of ip_security.set / dynamic_ip_security.set: put back a site's {section} from {xml} (null: remove it)",
      [this](const json& p) {
        preserving_xml& d = doc();
        const std::string site = require_site(d, require_string(p, "site")).attribute("name").value();
        const std::string section = require_string(p, "section");
        if (section != "ipSecurity" && section != "dynamicIpSecurity") {
          throw service_error("invalid_params", "section must be \"ipSecurity\" or \"dynamicIpSecurity\"");
        }
        const auto it = p.find("xml");
        pugi::xml_document fragment;
        if (it != p.end() && !it->is_null()) {
          if (!it->is_string() ||
              !fragment.load_string(it->get<std::string>().c_str(), pugi::parse_default | pugi::parse_ws_pcdata) ||
              section != fragment.document_element().name()) {
            throw service_error("invalid_params", fmt::format("xml is not a <{}> element", section));
          }
        }
        const pugi::xml_node current = find_site_section(d, site, section);
        if (current && fragment.document_element() &&
            element_xml(current) == element_xml(fragment.document_element())) {
          return json{{"site", site}, {"section", section}, {"restored", false}};
        }
        remove_site_section(d, site, section);
        if (fragment.document_element()) {
          pugi::xml_node s = ensure_site_section(d, site, section.c_str());
          d.append_copy(s.parent(), fragment.document_element());
          d.remove_element(s);
        }
        return json{{"site", site}, {"section", section}, {"restored", true}};
      },
      [this](const json& p) {
        preserving_xml& d = doc();
        const std::string site = require_site(d, require_string(p, "site")).attribute("name").value();
        const std::string section = require_string(p, "section");
        const pugi::xml_node s = find_site_section(d, site, section);
        undo_record u;
        u.description = fmt::format("restore {} of site \"{}\"", section, site);
        u.calls.push_back(
            {{"method", "iis.section.restore"},
             {"params", {{"site", site}, {"section", section}, {"xml", s ? json(element_xml(s)) : json()}}}});
        return u;
      });
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
