// A journaled run's audit records reach the audit log's event log as they
// are made durable: start, each change (and a failed one), end; nothing for
// the records that are not part of the audit trail.
#include <catch2/catch.hpp>

#include <vector>

#include "run/journal_observer.hpp"
#include "runtime/audit_log.hpp"
#include "runtime/redactor.hpp"
#include "temp_dir.hpp"

using smharden::core::event_id;
using smharden::core::event_log_entry;
using smharden::journal::journal_observer;
using smharden::journal::run_folder;
using json = nlohmann::json;

namespace {

class recording_writer final : public smharden::core::event_log_writer {
 public:
  explicit recording_writer(std::vector<event_log_entry>& out) : out_(out) {}
  void write(const event_log_entry& e) noexcept override { out_.push_back(e); }

 private:
  std::vector<event_log_entry>& out_;
};

}  // namespace

TEST_CASE("a journaled apply sends its start, changes and end to the event log, in order") {
  smharden::test::temp_dir dir("smharden-journal-audit");
  smharden::core::redactor redact;
  smharden::core::audit_log log(redact, {}, SMH_LOG_ERROR);
  std::vector<event_log_entry> written;
  log.set_event_log(std::make_unique<recording_writer>(written));

  journal_observer journal(run_folder{dir.path() / "runs" / "run-1"}, redact, "apply");
  journal.audit_to(&log);
  journal.record("run_start", {{"mode", "apply"}, {"profile", "p"}, {"target", "lab:/x"}});
  smharden::services::undo_record undo;
  journal.before_mutation("step-a", "test.kv.set", {{"key", "k"}}, undo);
  journal.after_mutation("step-a", "test.kv.set", true);
  journal.before_mutation("step-b", "test.kv.set", {{"key", "k2"}}, undo);
  journal.after_mutation("step-b", "test.kv.set", false);
  journal.step_finished("step-b", "failed");
  journal.record("run_end", {{"outcome", "failed"}, {"exit_code", 4}});

  std::vector<event_id> ids;
  for (const auto& e : written) ids.push_back(e.id);
  CHECK(ids == std::vector<event_id>{event_id::apply_started, event_id::change_made, event_id::change_made,
                                     event_id::change_failed, event_id::apply_failed});
  CHECK_THAT(written[1].text, Catch::Contains("run-1: change 1 in step step-a: test.kv.set"));
  CHECK_THAT(written[3].text, Catch::Contains("change 2 failed"));
}
