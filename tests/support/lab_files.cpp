#include "lab_files.hpp"

#include <fstream>
#include <pugixml.hpp>

#include "base/atomic_file.hpp"

namespace smharden::test {
namespace fs = std::filesystem;
namespace {

bool is_temp(const std::string& name) { return name.find(".smharden-") != std::string::npos && name.ends_with(".tmp"); }

// Records, not settings: the lab logs app-pool recycles, IIS keeps a copy of the config before every
// write (a rollback's own writes included), and smharden's run lock of the lab lives in its folder.
// Temp files are counted everywhere, these folders too.
bool lab_record(const std::string& rel) {
  return rel == "iis/recycle.log" || rel.rfind("iis/history/", 0) == 0 || rel == ".smharden-run.lock";
}

}  // namespace

std::string slurp(const fs::path& file) { return util::read_file(file); }

std::map<std::string, std::string> hash_tree(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out[fs::relative(e.path(), dir).generic_string()] = util::sha256_hex(slurp(e.path()));
  }
  return out;
}

std::map<std::string, std::string> lab_hashes(const fs::path& root) {
  auto all = hash_tree(root);
  std::erase_if(all, [](const auto& entry) { return lab_record(entry.first); });
  return all;
}

std::vector<std::string> unparseable_files(const fs::path& root, std::size_t* temp_files) {
  std::vector<std::string> bad;
  if (temp_files != nullptr) *temp_files = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    const std::string name = e.path().filename().string();
    if (is_temp(name)) {
      if (temp_files != nullptr) ++*temp_files;
      continue;
    }
    const std::string ext = e.path().extension().string();
    if (ext == ".json") {
      std::string text = slurp(e.path());
      if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
      if (nlohmann::json::parse(text, nullptr, false).is_discarded()) bad.push_back(e.path().string());
    } else if (ext == ".config" || ext == ".xml") {
      pugi::xml_document doc;
      if (!doc.load_file(e.path().c_str())) bad.push_back(e.path().string());
    }
  }
  return bad;
}

std::vector<nlohmann::json> journal_records(const fs::path& state_dir, const std::string& run_id) {
  std::vector<nlohmann::json> out;
  std::ifstream in(state_dir / "runs" / run_id / "journal.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_discarded()) out.push_back(std::move(j));
  }
  return out;
}

}  // namespace smharden::test
