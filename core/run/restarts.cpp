#include "run/restarts.hpp"

#include <fmt/format.h>

#include <set>
#include <utility>

#include "run/restart_table.hpp"

namespace smharden::core {
namespace {

restart_result restart_one(const restart_request& r, const methods_source& methods, mutation_gate& gate,
                           const redactor& redact) {
  restart_result rr{r.kind, r.name, "pending", ""};
  try {
    const auto method = restart_method_for(r.kind);
    if (!method) throw services::service_error("invalid_params", fmt::format("no restart of kind \"{}\"", r.kind));
    const services::method* m = methods().find(*method);
    if (m == nullptr) throw services::service_error("not_found", fmt::format("no {} on this target", *method));
    gate.call("engine", *m, {{"name", r.name}});
    rr.status = "done";
  } catch (const std::exception& e) {
    rr.status = "failed";
    rr.message = redact.apply(e.what());
  }
  return rr;
}

}  // namespace

std::vector<restart_result> perform_restarts(const std::vector<restart_request>& requests,
                                             const methods_source& methods, mutation_gate& gate,
                                             const restart_settings& settings, const redactor& redact, audit_log& log) {
  std::vector<restart_result> out;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& r : requests) {
    if (!seen.emplace(r.kind, r.name).second) continue;
    restart_result rr{r.kind, r.name, "pending", ""};
    if (settings.no_restart) {
      rr.message = fmt::format("--no-restart: restart it yourself for {} to take effect", settings.what);
    } else if (settings.cancel != nullptr && settings.cancel->load()) {
      rr.message = fmt::format("{} interrupted before restarts", settings.run_kind);
    } else {
      rr = restart_one(r, methods, gate, redact);
    }
    log.write(SMH_LOG_INFO, fmt::format("restart {} {}: {} {}", rr.kind, rr.name, rr.status, rr.message));
    out.push_back(std::move(rr));
  }
  return out;
}

}  // namespace smharden::core
