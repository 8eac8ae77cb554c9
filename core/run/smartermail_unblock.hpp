// `smharden smartermail unblock ADDRESS`: lifts SmarterMail's IDS blocks of
// one address as a small journaled run of its own (a run folder with
// run_start, the mutation, run_end), so `smharden history` shows who lifted
// which block and when. Takes the state folder's and the target's run lock.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "run/run_context.hpp"
#include "services/target.hpp"

namespace smharden::core {

/// {"run_id", "target", "address", "changed", "lifted": [...]}. Throws core::usage_error for an
/// offline target, core::runtime_error when a lock is held or the target cannot be reached, and
/// what the smartermail service throws (as core::runtime_error) when the unblock fails.
nlohmann::json run_smartermail_unblock(run_context& ctx, const services::target& t, const std::string& target_spec,
                                       const std::string& address, std::chrono::seconds wait_lock);

}  // namespace smharden::core
