#include "extensions_policy.hpp"

#include <algorithm>
#include <cctype>

namespace smharden::sm_extensions {

const std::vector<std::string>& baseline_extensions() {
  static const std::vector<std::string> list = {
      // IIS / ASP.NET server-side code and configuration
      ".asp", ".aspx", ".ashx", ".asmx", ".asa", ".asax", ".axd", ".cshtml", ".vbhtml", ".config", ".svc", ".soap",
      ".rem", ".shtml", ".stm", ".php",
      // Windows executables and installers
      ".exe", ".dll", ".com", ".scr", ".pif", ".cpl", ".msi", ".msp", ".mst", ".sys", ".ocx",
      // Scripts run by Windows Script Host, PowerShell, cmd or mshta
      ".bat", ".cmd", ".ps1", ".psm1", ".psd1", ".vbs", ".vbe", ".js", ".jse", ".wsf", ".wsh", ".wsc", ".hta", ".sct",
      // Other files Windows acts on when opened
      ".reg", ".inf", ".lnk", ".scf", ".jar", ".msc", ".application", ".gadget"};
  return list;
}

std::string normalize(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == ' ' || c == '*') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  while (!out.empty() && out.front() == '.') out.erase(out.begin());
  if (out.empty()) return "";
  for (const char c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return "";
  }
  return "." + out;
}

plan make_plan(const json& current, const json& params) {
  plan p;
  const std::string mode = params.value("mode", "ensure");
  std::vector<std::string> wanted;
  const json source = params.contains("extensions") ? params["extensions"] : json(baseline_extensions());
  for (const auto& e : source) {
    const std::string ext = normalize(e.get<std::string>());
    if (!ext.empty() && std::find(wanted.begin(), wanted.end(), ext) == wanted.end()) wanted.push_back(ext);
  }
  const json lists = params.value("lists", json::array({"inbound", "outbound", "upload", "file_system"}));
  for (const auto& list_name : lists) {
    const std::string name = list_name.get<std::string>();
    std::vector<std::string> have;
    for (const auto& e : current.value(name, json::array())) have.push_back(normalize(e.get<std::string>()));
    std::vector<std::string> missing, extra;
    for (const auto& w : wanted) {
      if (std::find(have.begin(), have.end(), w) == have.end()) missing.push_back(w);
    }
    if (mode == "exact") {
      for (const auto& h : have) {
        if (std::find(wanted.begin(), wanted.end(), h) == wanted.end()) extra.push_back(h);
      }
    }
    if (missing.empty() && extra.empty()) continue;
    std::vector<std::string> next = mode == "exact" ? wanted : have;
    if (mode != "exact") next.insert(next.end(), missing.begin(), missing.end());
    finding f;
    f.id = "blacklist:" + name;
    f.title = "The " + name + " extension blacklist " +
              (missing.empty() ? "has extensions the profile does not list"
                               : "lacks " + std::to_string(missing.size()) + " of the profile's extensions");
    f.current = have;
    f.desired = {{"missing", missing}, {"extra", extra}, {"mode", mode}};
    f.remediation = "apply " + std::string(mode == "exact" ? "sets the list to exactly the profile's extensions"
                                                           : "adds the missing extensions to the list");
    p.findings.push_back(f);
    p.lists[name] = next;
    p.changes.push_back({f.id, "updated the " + name + " extension blacklist", have, next});
  }
  return p;
}

}  // namespace smharden::sm_extensions
