// The report's "access_matrix" (who can reach which surface, before and after
// the run) as an HTML table. Whatever shape the JSON has, the table is escaped
// and a cell it cannot read shows "unknown", never "yes" or "no".
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace smharden::core {

/// The HTML of the "access_matrix" value: {"audiences": [...], "surfaces": [...],
/// "cells": [{"audience", "surface", "before", "after"}]}.
std::string html_access_matrix(const nlohmann::json& matrix);

}  // namespace smharden::core
