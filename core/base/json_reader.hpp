// The one way smharden reads JSON: from regular files only (a FIFO, device or
// folder is refused before a byte is read), with a size limit and a nesting
// limit, numbers that fit a double, and errors that name the file, the line,
// the column and the JSON pointer. Every value it returns is at most
// `max_depth` levels deep, so code that walks it recursively is bounded.
#pragma once

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace smharden::core {

struct json_limits {
  std::size_t max_bytes;  ///< larger input is refused
  std::size_t max_depth;  ///< objects and arrays nested deeper are refused (the top level is depth 1)
};

/// Profiles and the profiles they extend.
inline constexpr json_limits profile_json_limits{10U << 20U, 64};
/// Plugin manifests (their params schema included).
inline constexpr json_limits manifest_json_limits{1U << 20U, 64};
/// Target files, lab and offline copies of SmarterMail and Windows state, SmarterMail API responses.
inline constexpr json_limits target_json_limits{64U << 20U, 128};
/// What smharden wrote itself and reads back: journals, run folders, plugin results.
inline constexpr json_limits own_json_limits{256U << 20U, 128};

/// Who has to fix a bad input, which decides the error (and so the exit code):
/// `profile` throws profile_error (exit 2), `data` throws runtime_error (exit 1).
enum class json_blame { profile, data };

struct json_read_options {
  json_limits limits;
  json_blame blame = json_blame::data;
  bool refuse_duplicate_keys = false;  ///< otherwise the last of two equal keys wins
  std::string what = "JSON";           ///< in "expected a readable <what> file"
  bool quote_input = true;             ///< false: errors give the place but no text of the input (may hold secrets)
};

/// Reads `file` whole if it is a regular file of at most `max_bytes`; `display`
/// names it in errors (the path when empty). Never blocks on a FIFO or device.
std::string read_regular_file(const std::filesystem::path& file, std::size_t max_bytes, json_blame blame,
                              const std::string& display = "", const std::string& what = "JSON");

/// Parses `text`; `source` names it in errors ("<file>", "<file> line 7", "response of GET /x").
/// One reference token of a JSON pointer (RFC 6901): '~' as "~0", '/' as "~1".
std::string json_pointer_token(const std::string& token);

nlohmann::json parse_json(std::string_view text, const std::string& source, const json_read_options& options);
nlohmann::ordered_json parse_ordered_json(std::string_view text, const std::string& source,
                                          const json_read_options& options);

/// read_regular_file + parse_json (a UTF-8 byte order mark is skipped, as by any JSON parser).
nlohmann::json read_json_file(const std::filesystem::path& file, const json_read_options& options,
                              const std::string& display = "");
nlohmann::ordered_json read_ordered_json_file(const std::filesystem::path& file, const json_read_options& options,
                                              const std::string& display = "");

/// Nesting depth of `value` (a scalar is 0, [] is 1, [[]] is 2), without recursion.
template <class BasicJson>
std::size_t json_depth(const BasicJson& value) {
  std::size_t deepest = 0;
  std::vector<std::pair<const BasicJson*, std::size_t>> pending{{&value, 0}};
  while (!pending.empty()) {
    auto [v, depth] = pending.back();
    pending.pop_back();
    if (!v->is_structured()) continue;
    deepest = std::max(deepest, depth + 1);
    for (const auto& child : *v) pending.emplace_back(&child, depth + 1);
  }
  return deepest;
}

}  // namespace smharden::core
