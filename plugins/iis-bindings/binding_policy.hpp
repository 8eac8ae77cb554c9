// iis-bindings policy (pure): the SmarterMail site has exactly the bindings
// the profile allows (e.g. no catch-all "*:9998:"; "127.0.0.1:9998:" or a
// host name instead), and never none.
#pragma once

#include <smharden/plugin.hpp>

#include <optional>
#include <vector>

namespace smharden::iis_bindings {

struct plan {
  std::vector<finding> findings;
  /// The full binding list for iis.bindings.set, when a change is needed.
  std::optional<json> bindings;
  std::vector<change> changes;
};

/// True for a binding that answers on every address ("*:PORT:" with no host name).
bool is_catch_all(const json& binding);

/// `current`: iis.bindings.get's "bindings". Throws std::invalid_argument when
/// params.allowed is empty (a site without bindings serves nothing).
plan make_plan(const json& params, const json& current);

/// The policy (guard.access.check's form) of who reaches a site with `bindings`, counting only
/// bindings on `port` when given: everyone when one binding listens on a non-loopback address
/// ("*", an address, or a host name on one), only the loopback addresses bound when all are
/// loopback, nobody when there is none.
json reach_policy(const json& bindings, std::optional<int> port = std::nullopt);

/// The params for the host's guard.access.check: webmail, ActiveSync/MAPI and admin login reach
/// the site through any binding, port_9998 through the bindings on 9998; before = `current`,
/// after = `after` (the same when apply changes nothing).
json access_request(const json& current, const json& after);

}  // namespace smharden::iis_bindings
