// Runs the engine in-process against a fresh lab plus the in-memory test
// service, with the test plugins loaded.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "memory_service.hpp"
#include "profile/profile.hpp"
#include "run/engine.hpp"
#include "run/run_plan.hpp"
#include "temp_dir.hpp"

namespace smharden::test {

/// Records what the engine tells the journal, in order.
class recording_observer final : public core::run_observer {
 public:
  std::vector<std::string> events;
  void before_mutation(const std::string& step, const std::string& method, const nlohmann::json& params,
                       const services::undo_record& undo) override {
    events.push_back("before " + step + " " + method + " " + params.dump() + " undo " + undo.calls.dump());
  }
  void after_mutation(const std::string& step, const std::string& method, bool ok) override {
    events.push_back(std::string("after ") + step + " " + method + (ok ? " ok" : " failed"));
  }
  void before_file_write(const std::string& step, const std::filesystem::path& file) override {
    events.push_back("file " + step + " " + file.filename().string());
  }
  void step_finished(const std::string& step, const std::string& status) override {
    events.push_back("finished " + step + " " + status);
  }
};

struct engine_harness {
  temp_dir dir{"smharden-engine"};
  memory_state state;
  core::redactor redact;
  core::secret_store secrets{redact};
  std::unique_ptr<core::audit_log> log;
  core::plugin_registry plugins;
  std::atomic<bool> cancel{false};

  engine_harness() {
    log = std::make_unique<core::audit_log>(redact, dir.path() / "audit.log", SMH_LOG_ERROR);
    plugins.load_from({TEST_PLUGIN_DIR});
    services::init_lab(dir.path() / "lab");
  }

  std::filesystem::path write_profile(const std::string& text, const std::string& name = "profile.json") {
    return dir.write(name, text);
  }

  core::run_report run(const std::string& profile_text, core::run_mode mode, const core::selection& sel = {},
                       core::run_observer* observer = nullptr, bool no_restart = false) {
    const auto plan = core::plan_run(plugins, core::load_profile(write_profile(profile_text)), sel);
    core::run_options opts;
    opts.mode = mode;
    opts.select = sel;
    opts.no_restart = no_restart;
    opts.target = services::parse_target("lab:" + (dir.path() / "lab").string());
    core::engine_hooks hooks;
    hooks.observer = observer;
    hooks.extra_services = [this](services::service_list& list, services::service_env&) {
      list.push_back(std::make_unique<memory_service>(state));
    };
    core::engine eng(plugins, secrets, redact, *log);
    return eng.run(plan, opts, "test-run", cancel, hooks);
  }
};

inline const core::step_result& step_of(const core::run_report& r, const std::string& id) {
  for (const auto& s : r.steps) {
    if (s.id == id) return s;
  }
  throw std::runtime_error("no step " + id + " in the report");
}

}  // namespace smharden::test
