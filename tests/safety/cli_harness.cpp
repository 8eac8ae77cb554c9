#include "cli_harness.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <pugixml.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace safety {
namespace {

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string sha256(const std::string& bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

bool is_temp(const std::string& name) { return name.find(".smharden-") != std::string::npos && name.ends_with(".tmp"); }

// Records, not settings: the lab logs app-pool recycles, and IIS keeps a copy of the config before every
// write (a rollback's own writes included). Temp files are counted everywhere, these folders too.
bool excluded(const std::string& rel) { return rel == "iis/recycle.log" || rel.rfind("iis/history/", 0) == 0; }

}  // namespace

json proc_result::out_json() const {
  json j = json::parse(out, nullptr, false);
  if (j.is_discarded()) throw std::runtime_error("stdout is not JSON:\n" + out + "\nstderr:\n" + err);
  return j;
}

temp_dir::temp_dir(const std::string& tag) {
  std::random_device rd;
  path_ = fs::temp_directory_path() /
          ("smharden-safety-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
  fs::create_directories(path_);
}

temp_dir::~temp_dir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

fs::path smharden_exe() { return SMHARDEN_EXE; }
fs::path churn_plugin_dir() { return SAFETY_PLUGIN_DIR; }
fs::path source_dir() { return SMHARDEN_SOURCE_DIR; }

proc_result cli::run(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                     const std::function<bool(pid_t)>& watch) const {
  static int counter = 0;
  const fs::path out_file =
      state_.parent_path() / ("stdout-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
  const fs::path err_file = out_file.string() + ".err";
  std::vector<std::string> argv_s = {smharden_exe().string(), "--plugin-dir", plugins_.string()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::setenv("SMHARDEN_STATE_DIR", state_.c_str(), 1);
    for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<char*> argv;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  bool watching = static_cast<bool>(watch);
  while (true) {
    const pid_t done = ::waitpid(pid, &status, watching ? WNOHANG : 0);
    if (done == pid) break;
    if (done < 0) throw std::runtime_error("waitpid failed");
    if (watching) {
      watching = watch(pid);
      if (watching) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  proc_result r;
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  r.out = slurp(out_file);
  r.err = slurp(err_file);
  std::error_code ec;
  fs::remove(out_file, ec);
  fs::remove(err_file, ec);
  return r;
}

std::map<std::string, std::string> lab_hashes(const fs::path& root) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file()) continue;
    const std::string rel = fs::relative(e.path(), root).generic_string();
    if (excluded(rel)) continue;
    out[rel] = sha256(slurp(e.path()));
  }
  return out;
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
      if (json::parse(text, nullptr, false).is_discarded()) bad.push_back(e.path().string());
    } else if (ext == ".config" || ext == ".xml") {
      pugi::xml_document doc;
      if (!doc.load_file(e.path().c_str())) bad.push_back(e.path().string());
    }
  }
  return bad;
}

void write_json(const fs::path& file, const json& doc) {
  std::ofstream out(file);
  out << doc.dump(2) << "\n";
}

std::vector<json> journal_records(const fs::path& state_dir, const std::string& run_id) {
  std::vector<json> out;
  std::ifstream in(state_dir / "runs" / run_id / "journal.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    json j = json::parse(line, nullptr, false);
    if (!j.is_discarded()) out.push_back(std::move(j));
  }
  return out;
}

}  // namespace safety
