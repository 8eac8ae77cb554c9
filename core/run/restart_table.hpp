// What a plugin may ask the host to restart at the end of an apply, and the
// service method that restarts it. Apply, rollback and the journal reader all
// use this one table.
#pragma once

#include <optional>
#include <string_view>

namespace smharden::core {

struct restart_kind {
  std::string_view kind;    ///< as a plugin requests it: {"kind": "service", "name": "..."}
  std::string_view method;  ///< the mutating service method that does it
};

/// The method that restarts `kind`, or nullopt for a kind the host does not know.
std::optional<std::string_view> restart_method_for(std::string_view kind);

/// The kind a restart method restarts, or nullopt when `method` is not a restart.
std::optional<std::string_view> restart_kind_of(std::string_view method);

}  // namespace smharden::core
