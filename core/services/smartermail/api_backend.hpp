// The SmarterMail API as smharden sees it: one mapped call in, the answer's
// JSON body out. Two implementations: rest_api (a live server over HTTP) and
// lab_api (a lab folder holding the API's JSON shapes). Everything above this
// interface (JSON shapes, caching, read-back, undo) is shared by both.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "services/service_registry.hpp"  // service_error
#include "services/smartermail/route_map.hpp"

namespace smharden::services::smartermail {

class api_backend {
 public:
  api_backend() = default;
  api_backend(const api_backend&) = delete;
  api_backend& operator=(const api_backend&) = delete;
  virtual ~api_backend() = default;

  /// "rest" or "lab".
  virtual std::string kind() const = 0;
  /// Sends one call of the route map. Returns the answer's body (success
  /// already checked); throws service_error (not_found, refused, unavailable, failed).
  virtual json call(const std::string& route_key, const path_args& args, const json& body) = 0;
  /// The text of one page of the server's own API reference (`path` like "/Documentation/api"),
  /// or nullopt when this backend has none (a lab without documentation files). Throws
  /// service_error when the server does not serve it.
  virtual std::optional<std::string> documentation(const std::string& /*path*/) { return std::nullopt; }
  /// End of the run (the rest backend logs out). Must not throw.
  virtual void end_run() noexcept {}
};

}  // namespace smharden::services::smartermail
