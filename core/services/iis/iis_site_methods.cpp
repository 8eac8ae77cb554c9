// iis.config.info, iis.sites.list, iis.site.*, iis.app_pool.*: one function
// per method and per undo.
#include <fmt/format.h>

#include <fstream>
#include <iterator>
#include <vector>

#include "services/iis/iis_method_support.hpp"

#ifdef _WIN32
#include <process.h>
#endif

namespace smharden::services::iis {
namespace {

constexpr const char* default_install_dirs[] = {R"(C:\Program Files (x86)\SmarterTools\SmarterMail)",
                                                R"(C:\Program Files\SmarterTools\SmarterMail)"};
constexpr const char* identity_types[] = {"LocalSystem", "LocalService", "NetworkService", "SpecificUser",
                                          "ApplicationPoolIdentity"};

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

json config_info(iis_service& self, const json& /*p*/) {
  preserving_xml& d = self.doc();
  size_t sites = 0;
  for (auto s : sites_node(d).children("site")) sites += s ? 1 : 0;
  size_t pools = 0;
  for (auto p : d.root().child("system.applicationHost").child("applicationPools").children("add")) pools += p ? 1 : 0;
  return json{{"path", self.path().string()},
              {"history_dir", self.history_dir().string()},
              {"sites", sites},
              {"app_pools", pools},
              {"bytes", self.config_bytes()}};
}

json sites_list(iis_service& self, const json& /*p*/) {
  preserving_xml& d = self.doc();
  json out = json::array();
  for (auto s : sites_node(d).children("site")) out.push_back(site_json(d, s));
  return json{{"sites", std::move(out)}};
}

json site_get(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
  return site_json(d, require_site(d, require_string(p, "name")));
}

json site_find(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
  const std::string name = optional_string(p, "name").value_or("");
  if (!name.empty()) return site_json(d, require_site(d, name));
  std::vector<std::string> dirs;
  const std::string install = optional_string(p, "install_dir").value_or("");
  if (!install.empty()) {
    dirs.push_back(install);
  } else {
    dirs.assign(std::begin(default_install_dirs), std::end(default_install_dirs));
  }
  const std::vector<pugi::xml_node> hits = self.sites().sites_under(d, dirs);
  if (hits.size() == 1) return site_json(d, hits.front());
  if (hits.empty()) {
    throw service_error("not_found",
                        fmt::format("no IIS site in {} has its physical path under {}; is SmarterMail's web "
                                    "interface hosted in IIS here? If it is, name the site with the step "
                                    "parameter \"site\" (or set \"install_dir\")",
                                    self.path().string(), fmt::join(dirs, " or ")));
  }
  std::vector<std::string> candidates;
  candidates.reserve(hits.size());
  for (auto s : hits) {
    candidates.push_back(fmt::format("\"{}\" ({})", s.attribute("name").value(), site_physical_path(s)));
  }
  throw service_error("conflict", fmt::format("{} IIS sites serve SmarterMail's folder: {}; name the one to harden "
                                              "with the step parameter \"site\"",
                                              hits.size(), fmt::join(candidates, ", ")));
}

json app_pool_get(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
  return app_pool_json(d, require_app_pool(d, require_string(p, "name")), self.sites());
}

// Undo of set_identity and restore_identity: the pool's <processModel> as it is now.
undo_record snapshot_identity(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
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
}

json app_pool_set_identity(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
  const pugi::xml_node pool = require_app_pool(d, require_string(p, "name"));
  const std::string type = require_enum(p, "identity_type", identity_types);
  std::string user;
  std::string secret_name;
  if (type == "SpecificUser") {
    user = require_string(p, "user_name");
    secret_name = require_string(p, "password_secret");
    if (user.empty()) throw service_error("invalid_params", "user_name must not be empty for SpecificUser");
    const service_env& env = self.env();
    if (!env.secret || !env.secret(secret_name)) {
      throw service_error("invalid_params",
                          fmt::format("the secret \"{}\" (the app pool user's password) was not supplied; "
                                      "run the accounts step first or supply it (see `smharden --help` on secrets)",
                                      secret_name));
    }
    if (self.target_info().kind == target_kind::local) {
      return self.set_identity_through_iis(pool.attribute("name").value(), user, *env.secret(secret_name));
    }
  }
  pugi::xml_node pm = pool.child("processModel");
  if (!pm) pm = d.append_element(pool, "processModel");
  d.set_attribute(pm, "identityType", type);
  if (type == "SpecificUser") {
    d.set_attribute(pm, "userName", user);
    d.set_attribute(pm, "password", password_marker(secret_name, *self.env().secret(secret_name)));
  } else {
    d.remove_attribute(pm, "userName");
    d.remove_attribute(pm, "password");
  }
  return app_pool_json(d, pool, self.sites());
}

json app_pool_restore_identity(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
  const pugi::xml_node pool = require_app_pool(d, require_string(p, "name"));
  const auto it = p.find("process_model_xml");
  pugi::xml_node pm = pool.child("processModel");
  if (it == p.end() || it->is_null()) {
    if (pm) d.remove_element(pm);
    return app_pool_json(d, pool, self.sites());
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
  return app_pool_json(d, pool, self.sites());
}

json app_pool_recycle(iis_service& self, const json& p) {
  preserving_xml& d = self.doc();
  const std::string name = require_app_pool(d, require_string(p, "name")).attribute("name").value();
  if (self.target_info().kind == target_kind::lab) {
    std::ofstream log(self.path().parent_path() / "recycle.log", std::ios::app);
    log << utc_stamp() << " recycle " << name << "\n";
    return json{{"name", name}, {"recycled", true}};
  }
  if (self.target_info().kind == target_kind::offline) {
    return json{{"name", name}, {"recycled", false}, {"reason", "offline copy: nothing runs"}};
  }
#ifdef _WIN32
  std::wstring wname(name.begin(), name.end());
  const int rc = run_appcmd({L"recycle", L"apppool", L"/apppool.name:" + wname});
  if (rc != 0) throw service_error("failed", fmt::format("appcmd recycle apppool \"{}\" exited with {}", name, rc));
  return json{{"name", name}, {"recycled", true}};
#else
  throw service_error("unavailable", "recycling a real app pool needs Windows");
#endif
}

undo_record undo_app_pool_recycle(iis_service& /*self*/, const json& /*p*/) {
  return undo_record{json::array(), {}, "an app pool recycle cannot be undone (nor needs to be)"};
}

const method_entry<iis_service> site_method_table[] = {
    {"iis.config.info",
     access::read_only,
     "where applicationHost.config is, its size, and how many sites and app pools it has",
     {"–", "`{path, history_dir, sites, app_pools, bytes}`", ""},
     &config_info},
    {"iis.sites.list",
     access::read_only,
     "every site",
     {"–", "`{\"sites\": [site]}`; site = `{name, id, app_pool, physical_path, bindings}`", ""},
     &sites_list},
    {"iis.site.get", access::read_only, "one site by name", {"`{name}`", "site", ""}, &site_get},
    {"iis.site.find",
     access::read_only,
     "the SmarterMail site: the site named `name` (case-insensitive), else the one whose root physical path is under "
     "`install_dir` (default both `C:\\Program Files (x86)\\…` and `C:\\Program Files\\SmarterTools\\SmarterMail`; "
     "`%SystemDrive%` expanded, `/` or `\\`); none → `not_found`, several → `conflict` listing them",
     {"`{name?, install_dir?}`", "site", ""},
     &site_find},
    {"iis.app_pool.get",
     access::read_only,
     "an app pool's identity (effective value: pool, then `applicationPoolDefaults`, then the schema default), "
     "never its password",
     {"`{name}`", "`{name, identity_type, identity_type_explicit, user_name, password: state, sites: [names]}`", ""},
     &app_pool_get},
    {"iis.app_pool.set_identity",
     access::mutating,
     "set an app pool's identity; a lab writes a marker, never the secret; local: IIS sets and encrypts the password",
     {"`{name, identity_type, user_name?, password_secret?}` (`SpecificUser` needs both)", "the pool",
      "`iis.app_pool.restore_identity` with the previous `<processModel>` (a clear-text password is left out)"},
     &app_pool_set_identity,
     &snapshot_identity},
    {"iis.app_pool.restore_identity",
     access::mutating,
     "undo of set_identity: puts back the `<processModel>` element's attributes (null: removes it)",
     {"`{name, process_model_xml | null}`", "the pool",
      "`iis.app_pool.restore_identity` with the current `<processModel>`"},
     &app_pool_restore_identity,
     &snapshot_identity},
    {"iis.app_pool.recycle",
     access::mutating,
     "recycle an app pool (lab: a line in `iis/recycle.log`; offline: nothing runs; local: `appcmd recycle apppool`)",
     {"`{name}`", "`{name, recycled, reason?}`", "none (a recycle cannot be undone, nor needs to be)"},
     &app_pool_recycle,
     &undo_app_pool_recycle},
};

}  // namespace

std::span<const method_entry<iis_service>> site_and_pool_methods() { return site_method_table; }

}  // namespace smharden::services::iis
