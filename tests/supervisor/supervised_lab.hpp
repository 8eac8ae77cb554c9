// A lab, a state folder and a profile of the misbehaving test plugins, for
// the supervisor tests.
#pragma once

#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "cli_lab.hpp"
#include "lab_files.hpp"

namespace supervisor_test {

using nlohmann::json;
using smharden::test::cli_result;
using std::filesystem::path;

/// The step of the supervisor-misbehave plugin (or `id`), misbehaving as asked.
inline json misbehaving(const std::string& check, const std::string& apply, std::optional<int> timeout = {},
                        const std::string& id = "supervisor-misbehave") {
  json step = {{"params", {{"check", check}, {"apply", apply}}}};
  if (timeout) step["timeout_seconds"] = *timeout;
  return {{id, step}};
}

struct supervised_lab {
  smharden::test::cli_lab home{"smharden-supervisor", SUPERVISOR_PLUGIN_DIR};
  path lab = home.lab();
  path state = home.state();
  path profile = home.root() / "profile.json";
  std::map<std::string, std::string> original;

  explicit supervised_lab(const json& steps) {
    smharden::test::write_json(profile, {{"name", "supervisor-test"}, {"steps", steps}});
    original = smharden::test::lab_hashes(lab);
  }

  cli_result run(const std::vector<std::string>& args, const std::function<bool(pid_t)>& watch = {}) const {
    return home.cli().run(args, {}, watch);
  }
  cli_result apply(const std::function<bool(pid_t)>& watch = {}, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args = {"apply",     "--yes",          "--format", "json",
                                     "--profile", profile.string(), "--target", home.target()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run(args, watch);
  }
  cli_result check(const std::function<bool(pid_t)>& watch = {}) const {
    return run({"check", "--format", "json", "--profile", profile.string(), "--target", home.target()}, watch);
  }
  bool restored() const { return smharden::test::lab_hashes(lab) == original; }
  bool changed() const { return smharden::test::lab_hashes(lab) != original; }

  /// The journal of the only apply run so far ("" when there is none yet).
  std::string journal_text() const {
    std::error_code ec;
    const path runs = state / "runs";
    if (!std::filesystem::is_directory(runs, ec)) return "";
    for (const auto& e : std::filesystem::directory_iterator(runs)) {
      std::ifstream in(e.path() / "journal.jsonl");
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (text.find("\"mode\":\"apply\"") != std::string::npos) return text;
    }
    return "";
  }
  /// A watch for cli_runner::run: once the apply journaled its change (the plugin then hangs),
  /// calls `act` with the supervisor's pid once.
  std::function<bool(pid_t)> once_changed(std::function<void(pid_t)> act) const {
    return [this, act](pid_t pid) {
      if (journal_text().find("\"type\":\"mutation_done\"") == std::string::npos) return true;
      act(pid);
      return false;
    };
  }
  /// The same, sending `sig` again and again until the supervisor ends: the operator who presses
  /// Ctrl-C more than once (two signals sent at the same instant may arrive as one).
  std::function<bool(pid_t)> repeatedly_once_changed(int sig) const {
    auto calls = std::make_shared<int>(0);
    return [this, sig, calls](pid_t pid) {
      if (*calls == 0 && journal_text().find("\"type\":\"mutation_done\"") == std::string::npos) return true;
      // Once the supervisor has acted on the signals (the journal's "interrupt"), stop: a signal that
      // lands while the finished process exits (slow under AddressSanitizer) is not what is tested.
      if (journal_text().find("\"type\":\"interrupt\"") != std::string::npos) return true;
      if ((*calls)++ % 25 == 0) ::kill(pid, sig);
      return true;
    };
  }
};

}  // namespace supervisor_test
