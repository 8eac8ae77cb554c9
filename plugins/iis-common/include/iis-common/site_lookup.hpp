// Finding the SmarterMail site for the iis-* plugins (header-only, in the
// smharden::iis_common target): by the step's "site" param, else by physical
// path under "install_dir" (the service's default: SmarterMail's install folders).
#pragma once

#include <smharden/plugin.hpp>

#include <optional>
#include <string>

namespace smharden::iis_common {

inline json site_query(const json& params) {
  json q = json::object();
  if (!params.value("site", std::string()).empty()) q["name"] = params["site"];
  if (!params.value("install_dir", std::string()).empty()) q["install_dir"] = params["install_dir"];
  return q;
}

/// The site (iis.site.find's answer). In check mode a missing or ambiguous
/// site becomes a finding and nullopt; in apply mode the error propagates.
inline std::optional<json> find_site(const context& ctx) {
  try {
    return ctx.call("iis.site.find", site_query(ctx.params()));
  } catch (const service_error& e) {
    if (ctx.is_apply() || (e.code() != "not_found" && e.code() != "conflict")) throw;
    finding f;
    f.id = e.code() == "not_found" ? "site-not-found" : "site-ambiguous";
    f.title = e.code() == "not_found" ? "The SmarterMail IIS site was not found"
                                      : "More than one IIS site could be SmarterMail's";
    std::string message = e.what();
    for (const std::string prefix = "iis.site.find: "; message.rfind(prefix, 0) == 0;) message.erase(0, prefix.size());
    f.current = message;
    f.desired = "exactly one IIS site serving SmarterMail";
    f.remediation = e.code() == "not_found"
                        ? "Name the SmarterMail site with the step parameter \"site\" (or \"install_dir\"), or skip "
                          "this step if SmarterMail's web interface is not hosted in IIS here"
                        : "Name the site to harden with the step parameter \"site\"";
    f.automated = false;
    ctx.report(f);
    return std::nullopt;
  }
}

}  // namespace smharden::iis_common
