// What tests look at in a lab or state folder after a run: file hashes,
// files a partial write would leave unparseable, journal records.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace smharden::test {

/// Reads a whole file (throws naming the path).
std::string slurp(const std::filesystem::path& file);

/// sha256 of every regular file under `dir` (relative path -> hex).
std::map<std::string, std::string> hash_tree(const std::filesystem::path& dir);

/// hash_tree of a lab, except logs that a lab appends to outside the journal
/// (iis/recycle.log), IIS's own configuration history copies (iis/history/) and
/// smharden's run lock file of the lab (.smharden-run.lock).
std::map<std::string, std::string> lab_hashes(const std::filesystem::path& root);

/// Every .json file parses as JSON and every .config/.xml file as XML; returns
/// the files that do not (a partial write), and counts leftover temp files.
std::vector<std::string> unparseable_files(const std::filesystem::path& root, std::size_t* temp_files = nullptr);

/// The complete records of <state_dir>/runs/<run_id>/journal.jsonl.
std::vector<nlohmann::json> journal_records(const std::filesystem::path& state_dir, const std::string& run_id);

}  // namespace smharden::test
