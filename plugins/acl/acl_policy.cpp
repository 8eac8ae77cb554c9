#include "acl_policy.hpp"

#include <algorithm>

#include <smharden/common/account_names.hpp>
#include <smharden/common/ace_match.hpp>

namespace smharden::acl {
namespace {

namespace win = common;

std::vector<win::ace> aces_of(const json& acl) {
  std::vector<win::ace> out;
  for (const auto& j : acl.value("aces", json::array())) {
    win::ace a;
    a.type = j.value("type", "allow") == "deny" ? win::ace_type::deny : win::ace_type::allow;
    a.trustee = j.value("trustee", "");
    a.sid = j.value("sid", "");
    a.mask = j.value("mask", 0u);
    for (const auto& f : j.value("flags", json::array())) {
      std::uint32_t bit = 0;
      if (f.is_string() && win::parse_ace_flag_name(f.get<std::string>(), bit)) a.flags |= bit;
    }
    out.push_back(std::move(a));
  }
  return out;
}

// Windows paths compare case-insensitively, with either slash, without a trailing one.
bool same_path(std::string a, std::string b) {
  for (auto* s : {&a, &b}) {
    for (char& c : *s) {
      if (c == '/') c = '\\';
    }
    while (s->size() > 3 && s->back() == '\\') s->pop_back();
  }
  return win::iequals(a, b);
}

std::string hex_mask(std::uint32_t mask) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string hex = "0x";
  for (int shift = 28; shift >= 0; shift -= 4) hex += digits[(mask >> shift) & 0xF];
  return hex;
}

// The trustee's ACEs, as a sysadmin reads them: "allow modify (OI)(CI)".
json describe_aces(const std::vector<win::ace>& aces, const std::string& sid) {
  json out = json::array();
  for (const auto& a : aces) {
    if (!win::iequals(a.sid, sid)) continue;
    std::string rights = win::access_mask_name(a.mask);
    if (rights.empty()) rights = "mask " + hex_mask(a.mask);
    std::string flags;
    for (const auto& f : win::ace_flag_names(a.flags)) flags += "(" + f + ")";
    out.push_back(std::string(a.type == win::ace_type::allow ? "allow " : "deny ") + rights +
                  (flags.empty() ? "" : " " + flags));
  }
  return out;
}

}  // namespace

json with_defaults(const json& params) {
  json p = {{"user_name", "smartermail-svc"},
            {"folders", json::array({"C:\\SmarterMail"})},
            {"install_dir", ""},
            {"include_install_dir", true},
            {"rights", "modify"}};
  if (params.is_object()) {
    for (const auto& [k, v] : params.items()) p[k] = v;
  }
  return p;
}

folder_list effective_folders(const json& raw_params, const json& located) {
  const json params = with_defaults(raw_params);
  folder_list out;
  const auto add = [&](const std::string& folder) {
    const auto same = [&](const std::string& f) { return same_path(f, folder); };
    if (std::none_of(out.folders.begin(), out.folders.end(), same)) out.folders.push_back(folder);
  };
  if (params["include_install_dir"].get<bool>()) {
    std::string dir = params["install_dir"].get<std::string>();
    if (dir.empty() && located.is_object() && located.value("found", false)) dir = located.value("install_dir", "");
    if (!dir.empty()) {
      add(dir);
    } else {
      finding f;
      f.id = "install-dir-unknown";
      f.title = "SmarterMail's install folder was not detected";
      f.current = located.is_object() ? located.value("candidates", json::array()) : json(nullptr);
      f.desired = "the service user may modify the install folder";
      f.remediation =
          "no Windows service runs <install>\\Service\\MailService.exe, or several do: set this step's "
          "\"install_dir\" param (or set include_install_dir to false)";
      f.automated = false;
      out.install_dir_unknown = std::move(f);
    }
  }
  for (const auto& f : params["folders"]) add(f.get<std::string>());
  return out;
}

plan make_plan(const json& raw_params, const json& account, const std::vector<json>& acls) {
  const json params = with_defaults(raw_params);
  const std::string name = params["user_name"].get<std::string>();
  const std::string rights = params["rights"].get<std::string>();
  std::uint32_t mask = win::access_mask::modify;
  win::parse_access_mask_name(rights, mask);
  const bool account_exists = account.value("exists", false);
  const std::string sid = account.value("sid", "");
  const std::string desired = rights + " (OI)(CI) for " + name;
  plan out;

  std::size_t i = 0;
  for (const auto& folder_json : params["folders"]) {
    const std::string folder = folder_json.get<std::string>();
    const json acl = i < acls.size() ? acls[i] : json{{"exists", false}};
    ++i;
    if (!acl.value("exists", false)) {
      finding f;
      f.id = "folder-missing:" + folder;
      f.title = "The folder " + folder + " does not exist";
      f.severity = "medium";
      f.current = nullptr;
      f.desired = desired;
      f.remediation =
          "check the SmarterMail install and data paths: set this step's \"folders\" param to the real "
          "folders, or create the folder; smharden does not create folders";
      f.automated = false;
      out.findings.push_back(std::move(f));
      continue;
    }
    if (!account_exists) {
      finding f;
      f.id = "missing-grant:" + folder;
      f.title = name + " (not created yet) has no " + rights + " access to " + folder;
      f.current = json::array();
      f.desired = desired;
      f.remediation =
          "the accounts step creates " + name + "; apply then grants " + rights + " inherited by subfolders and files";
      out.findings.push_back(std::move(f));
      out.grant.push_back(folder);
      continue;
    }
    const auto aces = aces_of(acl);
    const auto ev = win::evaluate_aces(aces, win::ace_requirement{sid, mask});
    if (ev.granted) continue;
    finding f;
    f.current = describe_aces(aces, sid);
    f.desired = desired;
    if (ev.denied) {
      f.id = "denied:" + folder;
      f.title = "A deny ACE takes " + rights + " access to " + folder + " away from " + name;
      f.remediation = "remove the deny ACE for " + name + " on " + folder +
                      " by hand (icacls); smharden leaves existing ACEs alone";
      f.automated = false;
      out.findings.push_back(std::move(f));
      continue;
    }
    f.id = "missing-grant:" + folder;
    f.title = name + " lacks " + rights + " access (inherited by subfolders and files) to " + folder;
    f.remediation =
        "apply adds an explicit ACE: allow " + rights + " (OI)(CI) for " + name + "; existing ACEs are left alone";
    out.findings.push_back(std::move(f));
    out.grant.push_back(folder);
  }
  for (const auto& folder : out.grant) {
    out.changes.push_back(
        {"grant:" + folder, "granted " + rights + " (OI)(CI) on " + folder + " to " + name, nullptr, desired});
  }
  return out;
}

}  // namespace smharden::acl
