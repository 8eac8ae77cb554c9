// The host's access guard as a step that restricts access calls it: it says
// what its layer allows on each surface before and after apply
// (guard.access.check, docs/safety.md), a check records the access matrix,
// and an apply refuses when an audience would lose a surface it needs.
#pragma once

#include <smharden/plugin.hpp>

#include <string>

namespace smharden::access_common {

/// The guard's answer to `request` ({step?, what?, surfaces}); null on a host without
/// guard.access.check (an older smharden), where the step's own checks alone decide.
inline json check_access(const context& ctx, const json& request) {
  try {
    return ctx.call("guard.access.check", request);
  } catch (const service_error& e) {
    if (e.status() != SMH_ERR_NOT_FOUND && e.code() != "not_found" && e.code() != "unknown_method") throw;
    return nullptr;
  }
}

/// Throws a "refused" service_error with the guard's message when `answer` refuses the step.
inline void refuse_access_loss(const json& answer, const std::string& step) {
  if (!answer.is_object() || answer.value("ok", false)) return;
  throw service_error(SMH_ERR_REFUSED, step, "refused",
                      answer.value("message", std::string("the host's access guard refused")));
}

}  // namespace smharden::access_common
