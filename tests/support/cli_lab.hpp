// The fixture of the CLI tests: one temporary folder holding a lab made by
// `smharden lab init`, a state folder, the test's profiles, and a CLI runner
// over them.
#pragma once

#include <filesystem>
#include <string>

#include "cli_runner.hpp"
#include "temp_dir.hpp"

namespace smharden::test {

class cli_lab {
 public:
  /// `tag` names the temporary folder; `plugin_dir` as for cli_runner. With `init`, the
  /// lab is made at once (throws with smharden's stderr when that fails).
  explicit cli_lab(const std::string& tag, std::filesystem::path plugin_dir = {}, bool init = true);

  /// Runs `smharden lab init` on lab() (throws with smharden's stderr when that fails).
  void init_lab() const;
  /// init_lab() unless the lab exists already; returns target().
  std::string ensure_lab() const;

  const std::filesystem::path& root() const noexcept { return dir_.path(); }
  std::filesystem::path lab() const { return root() / "lab"; }
  std::filesystem::path state() const { return cli_.state_dir(); }
  /// The --target of the lab: "lab:<path>".
  std::string target() const { return "lab:" + lab().string(); }
  const cli_runner& cli() const noexcept { return cli_; }

  /// Writes a file (e.g. a profile) into the folder and returns its path.
  std::filesystem::path write(const std::string& name, std::string_view text) const { return dir_.write(name, text); }
  std::filesystem::path write_json(const std::string& name, const nlohmann::json& doc) const {
    return dir_.write_json(name, doc);
  }

 private:
  temp_dir dir_;
  cli_runner cli_;
};

}  // namespace smharden::test
