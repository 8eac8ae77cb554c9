// docs/services.md's method catalogue, generated from the service registry:
// each service's methods (name, read-only or mutating, summary, params,
// result, undo) are written between the markers
//   <!-- BEGIN GENERATED: methods of SERVICE -->
//   <!-- END GENERATED -->
// and the prose around them is kept as written.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "services/service_registry.hpp"

namespace smharden::test {

/// The methods of each service, by service name (host, windows, smartermail, iis, net).
using method_catalog = std::map<std::string, std::vector<services::method>>;

/// The catalog of a fresh lab target, which registers every service.
method_catalog lab_catalog();

/// The generated Markdown for one service's methods. Throws std::invalid_argument naming the method
/// when a method lacks its params or result, a mutating method lacks its undo, or a read-only one has one.
std::string render_methods(const std::vector<services::method>& methods);

/// `doc` with every generated block rewritten from `catalog`. Throws std::invalid_argument when a
/// service has no block, a block names no service of the catalog, or a block is not closed.
std::string regenerate(const std::string& doc, const method_catalog& catalog);

}  // namespace smharden::test
