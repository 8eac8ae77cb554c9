#include "binding_policy.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string>

namespace smharden::iis_bindings {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string label(const json& b) { return b.value("protocol", "") + "/" + b.value("binding_information", ""); }

bool same(const json& a, const json& b) {
  return lower(a.value("protocol", "")) == lower(b.value("protocol", "")) &&
         lower(a.value("binding_information", "")) == lower(b.value("binding_information", ""));
}

}  // namespace

bool is_catch_all(const json& binding) {
  const std::string info = binding.value("binding_information", "");
  return info.starts_with("*:") && info.back() == ':' && info.find(':', 2) == info.size() - 1;
}

plan make_plan(const json& params, const json& current) {
  const json allowed = params.value("allowed", json::array());
  if (allowed.empty()) {
    throw std::invalid_argument(
        "params.allowed is empty: a site without bindings serves nothing; list at least one binding (e.g. "
        "{\"protocol\": \"http\", \"binding_information\": \"127.0.0.1:9998:\"})");
  }
  plan p;
  json want = json::array();
  for (const json& a : allowed) {
    json b = {{"protocol", a.value("protocol", "http")}, {"binding_information", a.value("binding_information", "")}};
    if (a.contains("ssl_flags")) b["ssl_flags"] = a["ssl_flags"];
    want.push_back(std::move(b));
  }
  bool differs = false;
  for (const json& have : current) {
    if (std::any_of(want.begin(), want.end(), [&](const json& w) { return same(have, w); })) continue;
    differs = true;
    finding f;
    f.id = "binding-unexpected:" + label(have);
    f.title = is_catch_all(have)
                  ? "The SmarterMail site answers on every address (catch-all binding " + label(have) + ")"
                  : "The SmarterMail site has a binding the profile does not allow: " + label(have);
    f.current = have;
    f.desired = want;
    f.remediation =
        "Remove the binding " + label(have) + " (apply replaces the site's bindings with the allowed ones).";
    p.findings.push_back(f);
  }
  for (const json& w : want) {
    const auto have = std::find_if(current.begin(), current.end(), [&](const json& h) { return same(h, w); });
    if (have == current.end()) {
      differs = true;
      p.findings.push_back({"binding-missing:" + label(w), "The SmarterMail site lacks the allowed binding " + label(w),
                            "", nullptr, w, "Add the binding " + label(w) + ".", true});
    } else if (w.contains("ssl_flags") && have->value("ssl_flags", 0LL) != w["ssl_flags"]) {
      differs = true;
      p.findings.push_back({"binding-ssl-flags:" + label(w), "The binding " + label(w) + " has other sslFlags", "",
                            have->value("ssl_flags", 0LL), w["ssl_flags"], "Set sslFlags on the binding.", true});
    }
  }
  if (differs) {
    p.bindings = want;
    p.changes.push_back({"bindings", "bindings of the SmarterMail site", current, want});
  }
  return p;
}

}  // namespace smharden::iis_bindings
