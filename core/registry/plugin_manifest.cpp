#include "registry/plugin_manifest.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <stdexcept>

#include "base/errors.hpp"
#include "base/json_reader.hpp"
#include "graph/semver.hpp"
#include "registry/params_schema_check.hpp"

namespace smharden::core {
namespace {

using nlohmann::json;

// Every problem of a manifest, each with its JSON pointer: an author fixes them all in one round.
struct manifest_problems {
  std::vector<std::string> lines;
  void bad(const std::string& pointer, const std::string& what) { lines.push_back(pointer + ": " + what); }
};

std::string string_field(const json& m, const char* key, bool required, manifest_problems& p) {
  const auto it = m.find(key);
  if (it == m.end()) {
    if (required) p.bad(std::string("/") + key, "is required");
    return {};
  }
  if (!it->is_string()) {
    p.bad(std::string("/") + key, "must be a string");
    return {};
  }
  return it->get<std::string>();
}

std::vector<std::string> string_list(const json& m, const char* key, manifest_problems& p) {
  std::vector<std::string> out;
  const auto it = m.find(key);
  if (it == m.end()) return out;
  if (!it->is_array()) {
    p.bad(std::string("/") + key, "must be an array of strings");
    return out;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    if (!(*it)[i].is_string()) {
      p.bad(fmt::format("/{}/{}", key, i), "must be a string");
      continue;
    }
    out.push_back((*it)[i].get<std::string>());
  }
  return out;
}

// Lower-case words of [a-z0-9] joined by single '-', starting with a letter. A loop, not std::regex:
// libstdc++'s regex matcher recurses per character and overflows the stack on a long id.
bool valid_id(const std::string& id) {
  if (id.empty() || id.front() < 'a' || id.front() > 'z' || id.back() == '-') return false;
  char previous = 0;
  for (const char c : id) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!word && !(c == '-' && previous != '-')) return false;
    previous = c;
  }
  return true;
}

void read_requires(const json& reqs, plugin_manifest& out, manifest_problems& p) {
  if (!reqs.is_array()) {
    p.bad("/requires", "must be an array of {\"id\", \"version\"}");
    return;
  }
  for (std::size_t i = 0; i < reqs.size(); ++i) {
    const json& r = reqs[i];
    if (!r.is_object() || !r.contains("id") || !r["id"].is_string()) {
      p.bad(fmt::format("/requires/{}", i), "must be an object with a string \"id\"");
      continue;
    }
    if (r.contains("version") && !r["version"].is_string()) {
      p.bad(fmt::format("/requires/{}/version", i), "must be a semver range string, e.g. \">=1.0.0\"");
      continue;
    }
    dependency d{r["id"].get<std::string>(), r.value("version", std::string("*"))};
    std::string why;
    if (!valid_range(d.range, &why)) {
      p.bad(fmt::format("/requires/{}/version", i), fmt::format("\"{}\" is not a semver range ({})", d.range, why));
      continue;
    }
    if (d.id == out.id) {
      p.bad(fmt::format("/requires/{}", i), "a plugin cannot require itself");
      continue;
    }
    out.requires_.push_back(std::move(d));
  }
}

}  // namespace

bool valid_severity(const std::string& s) { return severity_rank(s) >= 0; }

int severity_rank(const std::string& s) {
  static constexpr std::array<const char*, 5> names = {"info", "low", "medium", "high", "critical"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (s == names[i]) return static_cast<int>(i);
  }
  return -1;
}

plugin_node plugin_manifest::node() const { return plugin_node{id, version, requires_, after, tags}; }

json plugin_manifest::to_json() const {
  json reqs = json::array();
  for (const auto& d : requires_) reqs.push_back({{"id", d.id}, {"version", d.range}});
  json out = {{"id", id},
              {"version", version},
              {"title", title},
              {"section", section},
              {"description", description},
              {"requires", reqs},
              {"after", after},
              {"tags", tags},
              {"severity", severity},
              {"params_schema", params_schema},
              {"os_access", os_access}};
  if (timeout_seconds > 0) out["timeout_seconds"] = timeout_seconds;
  return out;
}

plugin_manifest parse_manifest(const char* text) {
  if (text == nullptr) throw std::invalid_argument("manifest: missing (manifest_json is NULL)");
  json m;
  try {
    m = core::parse_json(text, "manifest", core::json_read_options{core::manifest_json_limits});
  } catch (const core::error& e) {
    // A syntax error keeps the short text plugin authors know; a limit says which and where.
    const std::string what = e.what();
    if (what.find("expected valid JSON") != std::string::npos) throw std::invalid_argument("manifest: not valid JSON");
    throw std::invalid_argument(what);
  }
  if (!m.is_object()) throw std::invalid_argument("manifest: must be a JSON object");

  manifest_problems p;
  plugin_manifest out;
  out.id = string_field(m, "id", true, p);
  if (m.contains("id") && m["id"].is_string() && !valid_id(out.id)) {
    p.bad("/id", fmt::format("\"{}\" must be lower-case words joined by '-' (e.g. \"iis-ip\")", out.id));
  }
  out.version = string_field(m, "version", true, p);
  if (m.contains("version") && m["version"].is_string() && !semver::parse(out.version)) {
    p.bad("/version", fmt::format("\"{}\" is not a semantic version", out.version));
  }
  out.title = string_field(m, "title", true, p);
  out.section = string_field(m, "section", false, p);
  out.description = string_field(m, "description", false, p);
  out.after = string_list(m, "after", p);
  out.tags = string_list(m, "tags", p);
  if (m.contains("severity")) {
    out.severity = string_field(m, "severity", true, p);
    if (m["severity"].is_string() && !valid_severity(out.severity)) {
      p.bad("/severity", "must be info, low, medium, high or critical");
    }
  }
  if (m.contains("requires")) read_requires(m["requires"], out, p);
  if (m.contains("params_schema")) {
    out.params_schema = m["params_schema"];
    for (const auto& problem : params_schema_problems(out.params_schema)) {
      p.bad("/params_schema" + problem.pointer, problem.what);
    }
  }
  if (m.contains("os_access")) {
    if (!m["os_access"].is_boolean()) {
      p.bad("/os_access", "must be true or false");
    } else {
      out.os_access = m["os_access"].get<bool>();
    }
  }
  if (m.contains("timeout_seconds")) {
    const json& t = m["timeout_seconds"];
    if (!t.is_number_integer() || t.get<long long>() < 1 || t.get<long long>() > 86400) {
      p.bad("/timeout_seconds", "must be a whole number of seconds from 1 to 86400");
    } else {
      out.timeout_seconds = t.get<int>();
    }
  }
  if (!p.lines.empty()) {
    // Named by its id when it has a usable one: the author sees which plugin to fix.
    const bool named = !out.id.empty() && valid_id(out.id);
    throw std::invalid_argument(fmt::format("manifest{}: {}", named ? fmt::format(" of plugin \"{}\"", out.id) : "",
                                            fmt::format("{}", fmt::join(p.lines, "; "))));
  }
  return out;
}

}  // namespace smharden::core
