// supervisor-misbehave: a test plugin that misbehaves the ways a buggy
// third-party plugin does, in check or in apply, as its params say: exit(0),
// a segfault, abort(), a hang that ignores SIGTERM and SIGINT, or printing on
// stdout and stderr, or starting a background process that keeps the
// worker's stdout and stderr open (in the worker's process group, or in a
// session of its own; its pid goes to the "pid_file" param). Its apply first makes one journaled change (Allow Relay),
// so that the automatic rollback has something to undo.
#include <smharden/plugin.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include "smharden_manifest.hpp"

#include <fstream>

#ifndef _WIN32
#include <unistd.h>
#endif

namespace {

using smharden::json;

[[noreturn]] void hang() {
  std::signal(SIGTERM, SIG_IGN);
  std::signal(SIGINT, SIG_IGN);
#ifndef _WIN32
  std::signal(SIGHUP, SIG_IGN);
#endif
  for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
}

void print_everywhere(const std::string& phase) {
  std::printf("misbehave %s: printf on stdout {not json\n", phase.c_str());
  std::fflush(stdout);
  std::cout << "misbehave " << phase << ": std::cout on stdout ]" << std::endl;
  std::fprintf(stderr, "misbehave %s: on stderr\n", phase.c_str());
#ifndef _WIN32
  const std::string raw = "misbehave " + phase + ": write(1) on stdout\n";
  if (::write(1, raw.data(), raw.size()) < 0) std::fprintf(stderr, "write failed\n");
#endif
}

/// A `sleep` that inherits the worker's stdout and stderr; `own_session`: it escapes the worker's
/// process group as a daemon would.
void start_background(bool own_session, const std::string& pid_file) {
#ifndef _WIN32
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (own_session) ::setsid();
    ::execl("/bin/sleep", "sleep", "600", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::ofstream(pid_file) << pid << "\n";
#else
  (void)own_session;
  (void)pid_file;
#endif
}

void misbehave(const std::string& action, const std::string& phase, const json& params) {
  if (action == "background" || action == "daemon") {
    start_background(action == "daemon", params.value("pid_file", std::string()));
  }
  if (action == "exit0") std::exit(0);
  if (action == "segv") std::raise(SIGSEGV);
  if (action == "abort") std::abort();
  if (action == "hang") hang();
  if (action == "sleep") std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  if (action == "print") print_everywhere(phase);
}

class misbehave_plugin final : public smharden::plugin {
 public:
  void check(smharden::context& ctx) override {
    misbehave(ctx.params()["check"].get<std::string>(), "check", ctx.params());
    const std::string want = ctx.params()["relay"].get<std::string>();
    const json relay = ctx.call("smartermail.relay.get");
    if (relay.value("allow_relay", "") != want) {
      ctx.report({"relay", "Allow Relay differs", "", relay["allow_relay"], want, "apply sets it", true});
    }
  }

  void apply(smharden::context& ctx) override {
    const std::string want = ctx.params()["relay"].get<std::string>();
    const json before = ctx.call("smartermail.relay.get");
    ctx.call("smartermail.relay.set", {{"allow_relay", want}});
    ctx.record({"relay", "set Allow Relay", before["allow_relay"], want});
    misbehave(ctx.params()["apply"].get<std::string>(), "apply", ctx.params());
  }
};

}  // namespace

SMHARDEN_PLUGIN(misbehave_plugin, smharden_manifest_json)
