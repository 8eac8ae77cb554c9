// The probe's look at the server's own API reference: per route-map entry,
// whether the pages at /Documentation/api (and the SystemAdminSettingsController
// page) name the route's path and the field names the map uses for it.
#pragma once

#include "services/smartermail/api_backend.hpp"

namespace smharden::services::smartermail {

/// {"available": bool, "pages": [{path, read, error?}],
///  "routes": {key: {"route": bool, "fields_found": [...], "fields_missing": [...]}}}
/// ("routes" is empty when no page could be read).
json check_documentation(api_backend& api, const route_map& map);

/// The logical field keys (route map "fields") a route sends or reads.
std::vector<std::string> fields_of_route(const route_map& map, const std::string& route_key);

}  // namespace smharden::services::smartermail
