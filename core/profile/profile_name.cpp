#include "profile/profile_name.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <system_error>
#include <vector>

#include "base/ascii_lower.hpp"
#include "base/errors.hpp"

namespace smharden::core {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> shipped_names(const fs::path& folder) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".json" && it->is_regular_file(ec)) names.push_back(it->path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

bool is_shipped_profile_name(const std::string& arg) {
  if (arg.empty() || arg == "." || arg == "..") return false;
  if (arg.find_first_of("/\\:") != std::string::npos) return false;
  const std::string lower = util::ascii_lower(arg);
  return !(lower.size() >= 5 && lower.compare(lower.size() - 5, 5, ".json") == 0);
}

fs::path resolve_profile_argument(const std::string& arg, const fs::path& shipped_folder) {
  if (!is_shipped_profile_name(arg)) return fs::path(arg);
  if (shipped_folder.empty()) {
    throw profile_error(fmt::format(
        "profile \"{}\": a name without a path names a shipped profile, and the folder of shipped profiles is "
        "unknown (the location of the smharden binary could not be read). Fix: give the profile's path, e.g. "
        "./{}.json",
        arg, arg));
  }
  const fs::path file = shipped_folder / (arg + ".json");
  std::error_code ec;
  if (fs::is_regular_file(file, ec)) return file;
  const std::vector<std::string> names = shipped_names(shipped_folder);
  std::string hint;
  if (fs::exists(fs::path(arg), ec)) hint = fmt::format("; to use the file ./{} give it as ./{}", arg, arg);
  throw profile_error(fmt::format(
      "profile \"{}\": no shipped profile of that name: looked for {} ({}). A name without a path or \".json\" "
      "names a shipped profile; give a path for a profile of your own{}",
      arg, file.string(),
      names.empty() ? std::string("that folder holds no profiles") : fmt::format("shipped: {}", fmt::join(names, ", ")),
      hint));
}

}  // namespace smharden::core
