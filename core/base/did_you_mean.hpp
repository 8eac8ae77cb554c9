// "Did you mean ...?" hints for misspelt keys, ids and variable names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace smharden::core {

/// Edit distance (insertions, deletions, substitutions, adjacent swaps).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` when it is close enough to be a likely
/// typo (distance <= 2, or <= 1 for words of up to 3 characters), else "".
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

/// " Did you mean \"x\"?" for the closest candidate, or "" when none is close.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace smharden::core
