// load_profile: read the extends chain (leaf first, then its bases), check
// each file's shape, merge base-first, then substitute ${vars} in params.
#include <fmt/format.h>

#include <algorithm>
#include <smharden/common/ip_range.hpp>
#include <unordered_map>

#include "base/did_you_mean.hpp"
#include "base/errors.hpp"
#include "base/json_reader.hpp"
#include "profile/access_block.hpp"
#include "profile/problem_text.hpp"
#include "profile/profile.hpp"
#include "profile/var_substitution.hpp"

namespace smharden::core {
namespace fs = std::filesystem;
namespace {

const std::vector<std::string> top_level_keys = {"$schema",          "name",  "description", "extends", "vars",
                                                 "management_cidrs", "steps", "waivers",     "health",  "access"};
const std::vector<std::string> step_keys = {"enabled", "severity", "timeout_seconds", "params"};
const std::vector<std::string> waiver_keys = {"step", "finding", "reason", "expires"};
const std::vector<std::string> severities = {"info", "low", "medium", "high", "critical"};

struct profile_file {
  fs::path absolute;    ///< canonical, for loop detection
  std::string display;  ///< the path as the user (or an extends) wrote it, normalised; used in messages
  ordered_json doc;
};

void check_keys(const profile_file& f, const ordered_json& object, const std::string& pointer,
                const std::vector<std::string>& allowed, const char* what) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string suggestion = closest_match(key, allowed);
    throw_problem(f.display, pointer_append(pointer, key),
                  fmt::format("one of the {} keys ({})", what, fmt::join(allowed, ", ")), fmt::format("\"{}\"", key),
                  suggestion.empty() ? "remove the key"
                                     : fmt::format("rename it to \"{}\" (did you mean \"{}\"?), or remove it",
                                                   suggestion, suggestion));
  }
}

void expect(const profile_file& f, const ordered_json& v, const std::string& pointer, ordered_json::value_t type,
            const char* expected, const char* fix) {
  if (v.type() != type) throw_problem(f.display, pointer, expected, describe_typed(v), fix);
}

ordered_json read_profile_json(const fs::path& path, const std::string& display) {
  return read_ordered_json_file(path, json_read_options{profile_json_limits, json_blame::profile, true, "profile"},
                                display);
}

// Checks the shape of one file (not yet merged) so every error names the file that has it.
void check_file(const profile_file& f) {
  const ordered_json& doc = f.doc;
  expect(f, doc, "", ordered_json::value_t::object, "a JSON object with \"steps\"",
         "write the profile as { \"name\": ..., \"steps\": { ... } }");
  check_keys(f, doc, "", top_level_keys, "profile");

  for (const char* key : {"$schema", "name", "description", "extends"}) {
    if (doc.contains(key)) {
      expect(f, doc[key], pointer_append("", key), ordered_json::value_t::string, "a string",
             "write the value in double quotes");
    }
  }
  if (doc.contains("extends") && doc["extends"].get<std::string>().empty()) {
    throw_problem(f.display, "/extends", "the path of the profile this one builds on", "\"\"",
                  "give a path relative to this file, or remove \"extends\"");
  }
  if (doc.contains("vars")) {
    expect(f, doc["vars"], "/vars", ordered_json::value_t::object, "an object of variables",
           "write \"vars\": { \"name\": value }");
    for (const auto& [name, value] : doc["vars"].items()) {
      if (!valid_var_name(name)) {
        throw_problem(f.display, pointer_append("/vars", name),
                      "a variable name (a letter or '_', then letters, digits, '_', '-' or '.')",
                      fmt::format("\"{}\"", name), "rename the variable");
      }
    }
  }
  if (doc.contains("health")) {
    expect(f, doc["health"], "/health", ordered_json::value_t::object, "an object of health probe settings",
           "write \"health\": { ... } or remove it");
  }
  if (doc.contains("management_cidrs")) {
    const ordered_json& cidrs = doc["management_cidrs"];
    expect(f, cidrs, "/management_cidrs", ordered_json::value_t::array, "an array of addresses or CIDR blocks",
           "write \"management_cidrs\": [\"203.0.113.0/24\"]");
    for (std::size_t i = 0; i < cidrs.size(); ++i) {
      const std::string pointer = fmt::format("/management_cidrs/{}", i);
      if (!cidrs[i].is_string() || !common::parse_ip_network(cidrs[i].get<std::string>())) {
        throw_problem(
            f.display, pointer, "an IPv4 or IPv6 address or CIDR block (e.g. \"203.0.113.0/24\", \"2001:db8::/32\")",
            describe_typed(cidrs[i]),
            "write the address from which you manage the server, optionally with a /prefix (IPv4 octets 0-255 "
            "without leading zeros, prefix up to /32 for IPv4 or /128 for IPv6)");
      }
    }
  }
  if (doc.contains("access")) check_access_block(f.display, doc["access"]);
  if (doc.contains("steps")) {
    expect(f, doc["steps"], "/steps", ordered_json::value_t::object, "an object of steps keyed by plugin id",
           "write \"steps\": { \"<plugin id>\": { \"params\": { ... } } }");
    for (const auto& [id, step] : doc["steps"].items()) {
      const std::string pointer = pointer_append("/steps", id);
      expect(f, step, pointer, ordered_json::value_t::object, "a step object",
             "write { \"enabled\": true, \"params\": { ... } }");
      check_keys(f, step, pointer, step_keys, "step");
      if (step.contains("enabled")) {
        expect(f, step["enabled"], pointer + "/enabled", ordered_json::value_t::boolean, "true or false",
               "write true or false without quotes");
      }
      if (step.contains("severity")) {
        const ordered_json& sev = step["severity"];
        if (!sev.is_string() ||
            std::find(severities.begin(), severities.end(), sev.get<std::string>()) == severities.end()) {
          std::string hint = sev.is_string() ? did_you_mean(sev.get<std::string>(), severities) : "";
          throw_problem(f.display, pointer + "/severity", "one of info, low, medium, high, critical",
                        describe_typed(sev), "use one of those severities." + hint);
        }
      }
      if (step.contains("timeout_seconds")) {
        const ordered_json& t = step["timeout_seconds"];
        if (!t.is_number_integer() || t.get<long long>() < 1 || t.get<long long>() > 86400) {
          throw_problem(f.display, pointer + "/timeout_seconds", "a whole number of seconds from 1 to 86400",
                        describe_typed(t), "write e.g. \"timeout_seconds\": 600");
        }
      }
      if (step.contains("params")) {
        expect(f, step["params"], pointer + "/params", ordered_json::value_t::object, "an object of parameters",
               "write \"params\": { \"name\": value }");
      }
    }
  }
  if (doc.contains("waivers")) {
    const ordered_json& waivers = doc["waivers"];
    expect(f, waivers, "/waivers", ordered_json::value_t::array, "an array of waivers",
           "write \"waivers\": [{ \"step\": ..., \"reason\": ..., \"expires\": \"YYYY-MM-DD\" }]");
    for (std::size_t i = 0; i < waivers.size(); ++i) {
      const std::string pointer = fmt::format("/waivers/{}", i);
      const ordered_json& w = waivers[i];
      expect(f, w, pointer, ordered_json::value_t::object, "a waiver object",
             "write { \"step\": ..., \"reason\": ..., \"expires\": \"YYYY-MM-DD\" }");
      check_keys(f, w, pointer, waiver_keys, "waiver");
      auto text_field = [&](const char* key, const char* expected, const char* fix) {
        const std::string p = pointer_append(pointer, key);
        if (!w.contains(key)) throw_problem(f.display, p, expected, "nothing", fix);
        const ordered_json& v = w[key];
        bool blank = v.is_string() && v.get<std::string>().find_first_not_of(" \t\r\n") == std::string::npos;
        if (!v.is_string() || blank) throw_problem(f.display, p, expected, describe_typed(v), fix);
      };
      text_field("step", "the id of the step the waiver applies to", "add \"step\": \"<plugin id>\"");
      if (w.contains("finding"))
        text_field("finding", "a finding id",
                   "give the finding id, or remove \"finding\" "
                   "to waive every finding of the step");
      text_field("reason", "a non-empty reason", "say why the deviation is accepted and who accepted it");
      text_field("expires", "an expiry date YYYY-MM-DD", "add \"expires\": \"YYYY-MM-DD\" (the last day it applies)");
      const std::string expires = w["expires"].get<std::string>();
      if (!valid_iso_date(expires)) {
        throw_problem(f.display, pointer + "/expires", "a real calendar date YYYY-MM-DD", describe_typed(w["expires"]),
                      "write the last day the waiver applies, e.g. \"2026-12-31\"");
      }
    }
  }
}

std::string relative_to(const fs::path& path, const fs::path& base_dir) {
  fs::path rel = path.lexically_relative(base_dir);
  return rel.empty() ? path.string() : rel.string();
}

// Leaf first; stops at the first file without "extends".
std::vector<profile_file> read_chain(const fs::path& leaf) {
  std::vector<profile_file> chain;
  std::unordered_map<std::string, std::size_t> position;  // absolute path -> index in chain
  fs::path next = leaf;
  std::string display = leaf.lexically_normal().string();
  for (;;) {
    std::error_code ec;
    fs::path absolute = fs::weakly_canonical(fs::absolute(next), ec);
    if (ec) absolute = fs::absolute(next).lexically_normal();
    if (auto found = position.find(absolute.string()); found != position.end()) {
      const auto seen = chain.begin() + static_cast<std::ptrdiff_t>(found->second);
      const fs::path leaf_dir = chain.front().absolute.parent_path();
      std::vector<std::string> names;
      for (auto it = seen; it != chain.end(); ++it) names.push_back(relative_to(it->absolute, leaf_dir));
      names.push_back(relative_to(absolute, leaf_dir));
      throw_problem(chain.back().display, "/extends", "an extends chain that ends in a profile without \"extends\"",
                    fmt::format("a loop: {}", fmt::join(names, " -> ")),
                    "remove or change \"extends\" in one of these files");
    }
    position.emplace(absolute.string(), chain.size());
    profile_file f{absolute, display, read_profile_json(next, display)};
    check_file(f);
    bool has_base = f.doc.contains("extends");
    std::string base = has_base ? f.doc["extends"].get<std::string>() : "";
    chain.push_back(std::move(f));
    if (!has_base) return chain;

    const fs::path base_path = next.parent_path() / fs::path(base);
    std::error_code exists_ec;
    if (!fs::exists(base_path, exists_ec)) {
      throw_problem(chain.back().display, "/extends", "the path of an existing profile, relative to this file",
                    fmt::format("\"{}\" ({} does not exist)", base, base_path.lexically_normal().string()),
                    "correct the path; it is relative to the folder of the file that says \"extends\"");
    }
    next = base_path;
    display = base_path.lexically_normal().string();
  }
}

// Objects merge key by key (recursively); anything else replaces; null removes (RFC 7386).
// Linear in both objects' sizes: ordered_json's own lookups search the object.
ordered_json merged(const ordered_json& target, const ordered_json& patch) {
  std::unordered_map<std::string_view, const ordered_json*> changes;
  changes.reserve(patch.size());
  for (const auto& [key, value] : patch.get_ref<const ordered_json::object_t&>()) changes[key] = &value;
  ordered_json out = ordered_json::object();
  auto& members = out.get_ref<ordered_json::object_t&>();
  members.reserve(target.size() + patch.size());
  for (const auto& [key, value] : target.get_ref<const ordered_json::object_t&>()) {
    auto change = changes.find(key);
    if (change == changes.end()) {
      members.emplace_back(key, value);
      continue;
    }
    const ordered_json& replacement = *change->second;
    changes.erase(change);
    if (replacement.is_null()) continue;
    members.emplace_back(key, replacement.is_object() && value.is_object() ? merged(value, replacement) : replacement);
  }
  for (const auto& [key, value] : patch.get_ref<const ordered_json::object_t&>()) {
    if (!value.is_null() && changes.count(key) != 0) members.emplace_back(key, value);
  }
  return out;
}

// Variables and steps merge along the chain; both are looked up by name in constant time.
struct chain_merge {
  profile& out;
  std::vector<step_config> steps;
  std::unordered_map<std::string, std::size_t> step_index;
  std::unordered_map<std::string, std::size_t> var_index;
  std::unordered_map<std::string, std::string> var_files;

  void add_vars(const profile_file& f) {
    auto& members = out.vars.get_ref<ordered_json::object_t&>();
    for (const auto& [name, value] : f.doc["vars"].get_ref<const ordered_json::object_t&>()) {
      var_files[name] = f.display;
      auto [it, added] = var_index.emplace(name, members.size());
      if (added) {
        members.emplace_back(name, value);
      } else {
        (members.begin() + static_cast<std::ptrdiff_t>(it->second))->second = value;
      }
    }
  }

  void add_steps(const profile_file& f) {
    for (const auto& [id, step] : f.doc["steps"].items()) {
      auto [index, added] = step_index.emplace(id, steps.size());
      if (added) {
        step_config s;
        s.id = id;
        s.order = steps.size();
        s.file = f.display;
        s.pointer = pointer_append("/steps", id);
        steps.push_back(std::move(s));
      }
      step_config& it = steps[index->second];
      if (step.contains("enabled")) it.enabled = step["enabled"].get<bool>();
      if (step.contains("severity")) it.severity = step["severity"].get<std::string>();
      if (step.contains("timeout_seconds")) it.timeout_seconds = step["timeout_seconds"].get<int>();
      if (step.contains("params")) {
        it.params = merged(it.params, step["params"]);
        for (const auto& [name, value] : step["params"].items()) {
          if (value.is_null()) {
            it.param_files.erase(name);
          } else {
            it.param_files[name] = f.display;
          }
        }
        it.file = f.display;
      }
    }
  }
};

// A waiver names a step of the merged profile; a typo would otherwise waive nothing, silently.
void check_waiver_steps(const profile& p, const std::unordered_map<std::string, std::size_t>& step_index) {
  std::vector<std::string> ids;
  for (const waiver& w : p.waivers) {
    if (step_index.count(w.step) != 0) continue;
    if (ids.empty()) {
      for (const step_config& s : p.steps) ids.push_back(s.id);
    }
    throw_problem(w.file, w.pointer + "/step", "the id of a step of this profile (or of one it extends)",
                  describe_typed(ordered_json(w.step)),
                  "correct the step id, add the step, or remove the waiver." + did_you_mean(w.step, ids));
  }
}

void check_depth(const step_config& s, const std::string& name, const ordered_json& value) {
  if (json_depth(value) + 1 > profile_json_limits.max_depth) {
    throw_problem(s.file, pointer_append(s.pointer + "/params", name),
                  fmt::format("params nested at most {} levels deep once variables are substituted",
                              profile_json_limits.max_depth),
                  "deeper nesting", "use variables that hold flatter values");
  }
}

}  // namespace

profile load_profile(const fs::path& file) {
  std::vector<profile_file> chain = read_chain(file);
  std::reverse(chain.begin(), chain.end());  // base first

  profile out;
  chain_merge merge{out, {}, {}, {}, {}};
  for (const profile_file& f : chain) {
    const ordered_json& doc = f.doc;
    out.chain.push_back(f.absolute);
    if (doc.contains("vars")) merge.add_vars(f);
    if (doc.contains("management_cidrs")) {
      out.management_cidrs = doc["management_cidrs"].get<std::vector<std::string>>();
    }
    if (doc.contains("health")) out.health = merged(out.health, doc["health"]);
    if (doc.contains("access")) merge_access_block(out.access, doc["access"]);
    if (doc.contains("waivers")) {
      const ordered_json& waivers = doc["waivers"];
      for (std::size_t i = 0; i < waivers.size(); ++i) {
        const ordered_json& w = waivers[i];
        waiver wv;
        wv.step = w["step"].get<std::string>();
        if (w.contains("finding")) wv.finding = w["finding"].get<std::string>();
        wv.reason = w["reason"].get<std::string>();
        wv.expires = w["expires"].get<std::string>();
        wv.file = f.display;
        wv.pointer = fmt::format("/waivers/{}", i);
        out.waivers.push_back(std::move(wv));
      }
    }
    if (doc.contains("steps")) merge.add_steps(f);
  }

  // Variables resolve against the merged "vars", so a leaf can change a value its base uses.
  var_resolver vars(out.vars, merge.var_files);
  for (step_config& s : merge.steps) {
    ordered_json params = ordered_json::object();
    auto& members = params.get_ref<ordered_json::object_t&>();
    for (const auto& [name, value] : s.params.items()) {
      auto origin = s.param_files.find(name);
      const std::string& origin_file = origin != s.param_files.end() ? origin->second : s.file;
      members.emplace_back(name, vars.substitute(value, origin_file, pointer_append(s.pointer + "/params", name)));
      check_depth(s, name, members.back().second);
    }
    s.params = std::move(params);
  }
  out.steps = std::move(merge.steps);
  check_waiver_steps(out, merge.step_index);

  const ordered_json& leaf = chain.back().doc;
  out.name = leaf.contains("name") ? leaf["name"].get<std::string>() : file.stem().string();
  out.description = leaf.contains("description") ? leaf["description"].get<std::string>() : "";
  return out;
}

}  // namespace smharden::core
