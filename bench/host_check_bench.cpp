// Benchmark of the host: runs `smharden check` of the baseline profile
// against a fresh lab N times as a child process and prints the median wall
// time and the median and maximum peak RSS (from wait4's rusage), with the
// number of plugins the host loaded. Figures, not assertions.
//
// Usage: bench_host_check SMHARDEN_EXE PROFILE [RUNS]
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "child_process.hpp"

namespace {

using sample = smharden::bench::child_sample;

sample run_once(const std::vector<std::string>& argv) { return smharden::bench::run_child(argv); }

template <class T>
T median(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s SMHARDEN_EXE PROFILE [RUNS]\n", argv[0]);
    return 2;
  }
  const std::string exe = argv[1];
  const std::string profile = argv[2];
  const int runs = argc > 3 ? std::atoi(argv[3]) : 20;
  const auto work = std::filesystem::temp_directory_path() / ("smharden-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(work);
  setenv("SMHARDEN_STATE_DIR", (work / "state").c_str(), 1);
  const std::string lab = (work / "lab").string();
  if (run_once({exe, "lab", "init", lab}).exit_code != 0) {
    std::fprintf(stderr, "lab init failed\n");
    return 1;
  }
  const std::vector<std::string> check = {exe,        "check",      "--profile", profile,
                                          "--target", "lab:" + lab, "--format",  "json"};
  run_once(check);  // warm the page cache
  std::vector<double> wall;
  std::vector<long> rss;
  int exit_code = 0;
  for (int i = 0; i < runs; ++i) {
    const sample s = run_once(check);
    wall.push_back(s.wall_ms);
    rss.push_back(s.max_rss_kb);
    exit_code = s.exit_code;
  }
  std::filesystem::remove_all(work);
  std::printf("host check of %s against a fresh lab, %d runs (exit code %d)\n", profile.c_str(), runs, exit_code);
  std::printf("  wall time: median %.1f ms, min %.1f ms, max %.1f ms   (target < 50 ms)\n", median(wall),
              *std::min_element(wall.begin(), wall.end()), *std::max_element(wall.begin(), wall.end()));
  std::printf("  peak RSS:  median %.1f MB, max %.1f MB                 (target < 30 MB)\n", median(rss) / 1024.0,
              *std::max_element(rss.begin(), rss.end()) / 1024.0);
  return 0;
}
