// Worst-case inputs through the whole CLI: generates hostile profiles, target
// files and lab data (deep, wide, long chains, many vars, waivers and allow
// entries, a FIFO and /dev/zero as the profile), runs `smharden validate`,
// `check` and `apply` on them as child processes and prints, per case, wall
// time, exit code and peak RSS (wait4). Each child gets a time limit and an
// address-space limit so a runaway case is reported, not suffered.
// Figures, not assertions. Targets: a refused input (exit 1 or 2) in < 0.5 s and
// < 100 MB, an accepted one (exit 0, or 3 for drift) of <= 10 MB in < 2 s.
//
// Usage: bench_hostile_input SMHARDEN_EXE [CASE...]   (a CASE names one or more cases by prefix)
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr int time_limit_s = 30;
constexpr rlim_t memory_limit = rlim_t{4} << 30;  // 4 GiB of address space

struct outcome {
  double wall_ms = 0;
  long max_rss_kb = 0;
  std::string status;  // "exit N", "signal N", "timeout"
};

/// Runs argv with output discarded, killed after `limit_s` seconds.
outcome run(const std::vector<std::string>& argv, int limit_s = time_limit_s) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = fork();
  if (pid < 0) {
    std::perror("fork");
    std::exit(1);
  }
  if (pid == 0) {
    const int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    const rlimit as{memory_limit, memory_limit};
    setrlimit(RLIMIT_AS, &as);
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  bool timed_out = false;
  for (;;) {
    const pid_t done = wait4(pid, &status, WNOHANG, &usage);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() - start > std::chrono::seconds(limit_s) && !timed_out) {
      kill(pid, SIGKILL);
      timed_out = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  outcome o;
  o.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  o.max_rss_kb = usage.ru_maxrss;
  if (timed_out) {
    o.status = "timeout";
  } else if (WIFEXITED(status)) {
    o.status = "exit " + std::to_string(WEXITSTATUS(status));
  } else {
    o.status = "signal " + std::to_string(WTERMSIG(status));
  }
  return o;
}

void write(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", file.c_str());
    std::exit(1);
  }
}

std::string nested(const std::string& open, const std::string& inner, const std::string& close, int depth) {
  std::string s;
  s.reserve((open.size() + close.size()) * static_cast<size_t>(depth) + inner.size());
  for (int i = 0; i < depth; ++i) s += open;
  s += inner;
  for (int i = 0; i < depth; ++i) s += close;
  return s;
}

/// A minimal valid profile with `extra` spliced in before the closing brace.
std::string profile_with(const std::string& extra) {
  return R"({"name": "hostile", "steps": {"sm-version": {"params": {"min_build": "100.0.9000"}}})" +
         (extra.empty() ? std::string() : ", " + extra) + "}";
}

std::string many_vars(int n) {
  std::string s = R"("vars": {)";
  for (int i = 0; i < n; ++i) s += (i ? ", " : "") + std::string("\"v") + std::to_string(i) + "\": \"x\"";
  return s + "}";
}

/// v0 = "x", vi = "${v(i-1)}": every var resolves through all before it.
std::string chained_vars(int n) {
  std::string s = R"("vars": {"v0": "x")";
  for (int i = 1; i < n; ++i) s += ", \"v" + std::to_string(i) + "\": \"${v" + std::to_string(i - 1) + "}\"";
  return s + "}";
}

std::string many_waivers(int n) {
  std::string s = R"("waivers": [)";
  for (int i = 0; i < n; ++i) {
    s += (i ? ", " : "") +
         std::string(R"({"step": "sm-version", "reason": "bench", "expires": "2099-01-01", "finding": "f)") +
         std::to_string(i) + "\"}";
  }
  return s + "]";
}

std::string allow_profile(int n) {
  std::string allow;
  for (int i = 0; i < n; ++i) {
    allow += (i ? ", \"" : "\"") + std::to_string(10 + (i >> 16) % 200) + "." + std::to_string((i >> 8) & 255) + "." +
             std::to_string(i & 255) + ".1\"";
  }
  return R"({"name": "allow", "steps": {"iis-ip": {"params": {"allow_unlisted": true, "deny_action": "Forbidden", "allow": [)" +
         allow + R"(], "deny": []}}}})";
}

struct bench_case {
  std::string name;
  std::function<std::vector<std::string>()> prepare;  // writes its inputs, returns the command
  std::string expect;                                 // "refused" or "accepted"
};

/// Size of the largest regular file the command names (the hostile input), "-" when none.
std::string input_mb(const std::vector<std::string>& cmd) {
  std::uintmax_t largest = 0;
  bool any = false;
  for (size_t i = 1; i < cmd.size(); ++i) {
    std::error_code ec;
    if (!fs::is_regular_file(cmd[i], ec)) continue;
    largest = std::max(largest, fs::file_size(cmd[i], ec));
    any = true;
  }
  if (!any) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(largest) / 1e6);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SMHARDEN_EXE [CASE...]\n", argv[0]);
    return 2;
  }
  const std::string exe = fs::absolute(argv[1]).string();
  const std::vector<std::string> only(argv + 2, argv + argc);
  const fs::path work = fs::temp_directory_path() / ("smharden-hostile-" + std::to_string(getpid()));
  fs::create_directories(work);
  setenv("SMHARDEN_STATE_DIR", (work / "state").c_str(), 1);
  const std::string lab = (work / "lab").string();
  if (run({exe, "lab", "init", lab}).status != "exit 0") {
    std::fprintf(stderr, "smharden lab init failed\n");
    return 1;
  }
  const fs::path lab_copy = work / "lab-pristine";
  fs::copy(lab, lab_copy, fs::copy_options::recursive);
  const auto fresh_lab = [&] {
    fs::remove_all(lab);
    fs::copy(lab_copy, lab, fs::copy_options::recursive);
  };
  const std::string baseline = fs::absolute("profiles/baseline.json").string();  // run from the repo root
  const auto p = [&](const std::string& name) { return (work / name).string(); };
  const auto check = [&](const std::string& profile) {
    return std::vector<std::string>{exe, "check", "--profile", profile, "--target", "lab:" + lab};
  };
  const auto apply = [&](const std::string& profile) {
    return std::vector<std::string>{exe, "apply", "--profile", profile, "--target", "lab:" + lab, "--yes"};
  };
  const auto validate = [&](const std::string& profile) { return std::vector<std::string>{exe, "validate", profile}; };

  std::vector<bench_case> cases;
  const auto deep_profile = [&] {
    write(p("deep.json"), profile_with(R"("vars": {"deep": )" + nested("[", "\"${x}\"", "]", 20000) + "}"));
    return p("deep.json");
  };
  cases.push_back({"deep-vars/validate", [&] { return validate(deep_profile()); }, "refused"});
  const auto deep_params = [&] {
    write(p("deep-params.json"), R"({"steps": {"sm-version": {"params": {"min_build": "100.0.9000", "x": )" +
                                     nested("{\"a\": ", "\"${y}\"", "}", 20000) + "}}}}");
    return p("deep-params.json");
  };
  cases.push_back({"deep-params/validate", [&] { return validate(deep_params()); }, "refused"});
  cases.push_back({"deep-params/check", [&] { return check(deep_params()); }, "refused"});
  cases.push_back({"wide-vars-1.5M/validate",
                   [&] {
                     write(p("vars-wide.json"), profile_with(many_vars(1'500'000)));
                     return validate(p("vars-wide.json"));
                   },
                   "refused"});
  cases.push_back({"vars-40k-chained/validate",
                   [&] {
                     write(p("vars-40k.json"), profile_with(chained_vars(40'000)));
                     return validate(p("vars-40k.json"));
                   },
                   "accepted"});
  cases.push_back({"waivers-700k/validate",
                   [&] {
                     write(p("waivers.json"), profile_with(many_waivers(700'000)));
                     return validate(p("waivers.json"));
                   },
                   "refused"});
  // iis-ip takes at most 10,000 entries per list: 300 k is refused by the schema, 10 k (the most it
  // takes) is checked and applied.
  cases.push_back({"allow-300k/check",
                   [&] {
                     write(p("allow.json"), allow_profile(300'000));
                     fresh_lab();
                     return check(p("allow.json"));
                   },
                   "refused"});
  cases.push_back({"allow-10k/check",
                   [&] {
                     write(p("allow.json"), allow_profile(10'000));
                     fresh_lab();
                     return check(p("allow.json"));
                   },
                   "accepted"});
  cases.push_back({"allow-10k/apply",
                   [&] {
                     write(p("allow.json"), allow_profile(10'000));
                     fresh_lab();
                     return apply(p("allow.json"));
                   },
                   "accepted"});
  cases.push_back({"extends-10k/validate",
                   [&] {
                     const fs::path dir = work / "chain";
                     fs::create_directories(dir);
                     write(dir / "c0.json", profile_with(""));
                     for (int i = 1; i < 10'000; ++i) {
                       write(dir / ("c" + std::to_string(i) + ".json"), R"({"extends": "c)" + std::to_string(i - 1) +
                                                                            R"(.json", "vars": {"v)" +
                                                                            std::to_string(i) + R"(": "x"}})");
                     }
                     return validate((dir / "c9999.json").string());
                   },
                   "accepted"});
  cases.push_back({"target-10MB/check",
                   [&] {
                     std::string pad;
                     while (pad.size() < 10'000'000) pad += R"("padding-entry-0123456789abcdef", )";
                     write(p("target-big.json"), R"({"kind": "lab", "root": "lab", "notes": [)" + pad + "\"end\"]}");
                     fresh_lab();
                     return std::vector<std::string>{exe,      "check",    "--profile",
                                                     baseline, "--target", p("target-big.json")};
                   },
                   "accepted"});
  cases.push_back({"target-deep/check",
                   [&] {
                     write(p("target-deep.json"),
                           R"({"kind": "lab", "root": "lab", "notes": )" + nested("[", "1", "]", 20000) + "}");
                     fresh_lab();
                     return std::vector<std::string>{exe,      "check",    "--profile",
                                                     baseline, "--target", p("target-deep.json")};
                   },
                   "refused"});
  cases.push_back({"lab-windows-state-deep/apply",
                   [&] {
                     fresh_lab();
                     write(fs::path(lab) / "windows" / "state.json",
                           R"({"users": )" + nested("[", "{}", "]", 20000) + "}");
                     return apply(baseline);
                   },
                   "refused"});
  cases.push_back({"lab-smartermail-deep/check",
                   [&] {
                     fresh_lab();
                     fs::path dir = fs::path(lab) / "smartermail";
                     write(dir / "ids-rules.json", R"({"rules": )" + nested("[", "{}", "]", 20000) + "}");
                     return check(baseline);
                   },
                   "refused"});
  cases.push_back({"profile-dev-zero/validate", [&] { return validate("/dev/zero"); }, "refused"});
  cases.push_back({"profile-fifo/validate",
                   [&] {
                     const fs::path fifo = work / "fifo.json";
                     fs::remove(fifo);
                     mkfifo(fifo.c_str(), 0600);
                     return validate(fifo.string());
                   },
                   "refused"});
  cases.push_back({"profile-fifo/check", [&] { return check((work / "fifo.json").string()); }, "refused"});

  std::printf("%-30s %9s %12s %10s %9s %8s  %s\n", "case", "expect", "status", "wall ms", "RSS MB", "input MB",
              "target");
  for (const auto& c : cases) {
    bool wanted = only.empty();
    for (const auto& o : only) wanted = wanted || c.name.rfind(o, 0) == 0;
    if (!wanted) continue;
    const std::vector<std::string> cmd = c.prepare();
    const outcome o = run(cmd);
    const double rss_mb = static_cast<double>(o.max_rss_kb) / 1024.0;
    // Refused: a clean error exit (1 for target data, 2 for a profile); during apply, target data is read by
    // the step that needs it, so bad data fails that step (exit 4, the run rolled back). Accepted: a result
    // (0, or 3 for drift).
    const bool refused = c.expect == "refused";
    const bool apply = std::find(cmd.begin(), cmd.end(), "apply") != cmd.end();
    const bool clean_refusal = o.status == "exit 1" || o.status == "exit 2" || (apply && o.status == "exit 4");
    const bool met = refused ? clean_refusal && o.wall_ms < 500 && rss_mb < 100
                             : (o.status == "exit 0" || o.status == "exit 3") && o.wall_ms < 2000;
    std::printf("%-30s %9s %12s %10.0f %9.1f %8s  %s\n", c.name.c_str(), c.expect.c_str(), o.status.c_str(), o.wall_ms,
                rss_mb, input_mb(cmd).c_str(), met ? "met" : "MISSED");
    std::fflush(stdout);
  }
  fs::remove_all(work);
  return 0;
}
