#include "services_doc.hpp"
#include "run/access_guard.hpp"
#include "run/password_rotation.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <random>
#include <set>

#include "services/service.hpp"

namespace smharden::test {
namespace {

constexpr std::string_view begin_marker = "<!-- BEGIN GENERATED: methods of ";
constexpr std::string_view begin_marker_end = " -->\n";
constexpr std::string_view end_marker = "<!-- END GENERATED -->";

void check_documented(const services::method& m) {
  const auto missing = [&](const char* what) {
    return std::invalid_argument(fmt::format("service method {} has no {} in its method table", m.name, what));
  };
  if (m.summary.empty()) throw missing("summary");
  if (m.doc.params.empty()) throw missing("params documentation");
  if (m.doc.result.empty()) throw missing("result documentation");
  if (m.kind == services::access::mutating && m.doc.undo.empty()) throw missing("undo documentation");
  if (m.kind == services::access::read_only && !m.doc.undo.empty()) {
    throw std::invalid_argument(fmt::format("read-only service method {} documents an undo", m.name));
  }
}

}  // namespace

method_catalog lab_catalog() {
  std::random_device rd;
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("smharden-services-doc-{}", rd());
  services::init_lab(dir);
  services::target t;
  t.kind = services::target_kind::lab;
  t.root = dir;
  services::service_env env;
  method_catalog catalog;
  {
    services::service_list list = services::make_services(t, env);
    for (const auto& s : list) {
      services::registry r;
      s->register_methods(r);
      auto& methods = catalog[s->name()];
      for (const services::method* m : r.all()) methods.push_back(*m);
    }
  }
  // The methods a run adds beside its services' (core/run).
  services::registry run_methods;
  core::register_access_guard(run_methods, {});
  for (const services::method* m : run_methods.all()) catalog["guard"].push_back(*m);
  services::registry rotation_methods;
  core::rotation::register_status_method(rotation_methods, [] { return nlohmann::json::object(); });
  for (const services::method* m : rotation_methods.all()) catalog["run"].push_back(*m);
  std::filesystem::remove_all(dir);
  return catalog;
}

std::string render_methods(const std::vector<services::method>& methods) {
  std::string out;
  for (const services::method& m : methods) {
    check_documented(m);
    const bool mutating = m.kind == services::access::mutating;
    out += fmt::format("- **`{}`** · {} — {}\n", m.name, mutating ? "mutating" : "read-only", m.summary);
    out += fmt::format("  - params: {}\n", m.doc.params);
    out += fmt::format("  - result: {}\n", m.doc.result);
    out += fmt::format("  - undo: {}\n", mutating ? m.doc.undo : "– (read-only: never journaled)");
  }
  return out;
}

std::string regenerate(const std::string& doc, const method_catalog& catalog) {
  std::string out;
  std::set<std::string> seen;
  size_t pos = 0;
  for (;;) {
    const size_t begin = doc.find(begin_marker, pos);
    if (begin == std::string::npos) break;
    const size_t name_at = begin + begin_marker.size();
    const size_t name_end = doc.find(begin_marker_end, name_at);
    if (name_end == std::string::npos)
      throw std::invalid_argument("a BEGIN GENERATED marker is not closed by \" -->\"");
    const std::string service = doc.substr(name_at, name_end - name_at);
    const size_t end = doc.find(end_marker, name_end);
    if (end == std::string::npos) {
      throw std::invalid_argument(fmt::format("the generated block of {} has no {}", service, end_marker));
    }
    const auto it = catalog.find(service);
    if (it == catalog.end()) {
      throw std::invalid_argument(
          fmt::format("docs/services.md has a block for \"{}\", which no service registers", service));
    }
    if (!seen.insert(service).second) {
      throw std::invalid_argument(fmt::format("docs/services.md has two blocks for \"{}\"", service));
    }
    out += doc.substr(pos, name_end + begin_marker_end.size() - pos);
    out += render_methods(it->second);
    pos = end;
  }
  out += doc.substr(pos);
  for (const auto& [service, methods] : catalog) {
    if (seen.count(service) == 0) {
      throw std::invalid_argument(fmt::format("docs/services.md has no generated block for the {} service ({} methods)",
                                              service, methods.size()));
    }
  }
  return out;
}

}  // namespace smharden::test
