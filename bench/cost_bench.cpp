// The run's own cost: `smharden check --tags iis` and `smharden apply --tags iis
// --yes` as whole processes on a lab whose applicationHost.config has 10,000
// sites (~10 MB), side by side with the floor (bench_iis_floor: one pugixml
// load_file + one XPath site lookup of the same file). Each round runs the
// floor, a check and an apply (on a fresh copy of the lab and state folder,
// copied untimed). Prints median wall time, median CPU time (user + system),
// peak RSS (wait4) and each one's ratio to the floor. Figures, not assertions; compare runs on the same idle machine.
//
// Usage: bench_cost SMHARDEN_EXE FLOOR_EXE PROFILE [RUNS=7] [SITES=10000]
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "iis_config.hpp"

namespace {

namespace fs = std::filesystem;
using smharden::bench::child_sample;
using smharden::bench::run_child;

struct series {
  std::vector<double> wall_ms;
  std::vector<double> cpu_ms;
  std::vector<long> rss_kb;
  int worst_exit = 0;
  void add(const child_sample& s) {
    wall_ms.push_back(s.wall_ms);
    cpu_ms.push_back(s.cpu_ms);
    rss_kb.push_back(s.max_rss_kb);
    worst_exit = std::max(worst_exit, s.exit_code);
  }
};

template <class T>
T median(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void use_state(const fs::path& state) { setenv("SMHARDEN_STATE_DIR", state.c_str(), 1); }

void print_row(const char* name, const series& s, const series& floor, const char* target) {
  const double ms = median(s.wall_ms);
  const double cpu = median(s.cpu_ms);
  const double mb = static_cast<double>(median(s.rss_kb)) / 1024.0;
  const double floor_mb = static_cast<double>(median(floor.rss_kb)) / 1024.0;
  fmt::print("{:<7} {:9.1f} {:9.1f} {:9.1f} {:7.2f}x {:9.1f} {:7.2f}x {:9.1f} {:7.2f}x {:>5}  {}\n", name, ms,
             *std::min_element(s.wall_ms.begin(), s.wall_ms.end()),
             *std::max_element(s.wall_ms.begin(), s.wall_ms.end()), ms / median(floor.wall_ms), cpu,
             cpu / median(floor.cpu_ms), mb, mb / floor_mb, s.worst_exit, target);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s SMHARDEN_EXE FLOOR_EXE PROFILE [RUNS=7] [SITES=10000]\n", argv[0]);
    return 2;
  }
  const std::string exe = argv[1];
  const std::string floor_exe = argv[2];
  const std::string profile = argv[3];
  const int runs = argc > 4 ? std::atoi(argv[4]) : 7;
  const size_t sites = argc > 5 ? std::stoul(argv[5]) : 10000;
  const fs::path work = fs::temp_directory_path() / fmt::format("smharden-cost-{}", getpid());
  const fs::path seed = work / "seed";
  fs::create_directories(seed);
  setenv("SMHARDEN_SECRET_SERVICE_PASSWORD", "Bench-Only-Passw0rd", 1);

  // The seed: a lab whose non-IIS steps are applied (iis-identity needs the service user), then the big file.
  use_state(seed / "state");
  const std::string iis_steps = "iis-identity,iis-ip,iis-bindings";
  if (run_child({exe, "lab", "init", (seed / "lab").string()}).exit_code != 0) {
    fmt::print(stderr, "`smharden lab init` failed\n");
    return 1;
  }
  run_child({exe, "apply", "--yes", "--no-restart", "--no-auto-rollback", "--profile", profile, "--target",
             "lab:" + (seed / "lab").string(), "--skip", iis_steps});
  const fs::path config = seed / "lab" / "iis" / "applicationHost.config";
  const std::string text = smharden::bench::generate_iis_config(slurp(config), sites);
  std::ofstream(config, std::ios::binary | std::ios::trunc) << text;
  fs::copy(seed, work / "check", fs::copy_options::recursive);
  fmt::print("run cost: {} sites, {:.1f} MB applicationHost.config, {} rounds (floor, check, apply each)\n", sites,
             static_cast<double>(text.size()) / 1e6, runs);

  const std::string check_lab = "lab:" + (work / "check" / "lab").string();
  series floor;
  series check;
  series apply;
  run_child({floor_exe, config.string()});  // warm the page cache
  for (int r = 0; r < runs; ++r) {
    floor.add(run_child({floor_exe, config.string()}));
    use_state(work / "check" / "state");
    check.add(
        run_child({exe, "check", "--profile", profile, "--target", check_lab, "--tags", "iis", "--format", "json"}));
    const fs::path fresh = work / fmt::format("apply-{}", r);
    fs::copy(seed, fresh, fs::copy_options::recursive);
    use_state(fresh / "state");
    apply.add(run_child({exe, "apply", "--yes", "--profile", profile, "--target", "lab:" + (fresh / "lab").string(),
                         "--tags", "iis", "--format", "json"}));
    if (r + 1 < runs) fs::remove_all(fresh);
  }
  // The last apply made its lab compliant: a check of it finds nothing (exit 0).
  const fs::path last = work / fmt::format("apply-{}", runs - 1);
  use_state(last / "state");
  const int after = run_child({exe, "check", "--profile", profile, "--target", "lab:" + (last / "lab").string(),
                               "--tags", "iis", "--format", "json"})
                        .exit_code;
  fs::remove_all(work);

  fmt::print("{:<7} {:>9} {:>9} {:>9} {:>8} {:>9} {:>8} {:>9} {:>8} {:>5}  {}\n", "", "wall ms", "min", "max",
             "x floor", "cpu ms", "x floor", "RSS MB", "x floor", "exit", "target (on wall time)");
  print_row("floor", floor, floor, "(pugixml load_file + one XPath site lookup)");
  print_row("check", check, floor, "<= 3x floor, <= 60 MB");
  print_row("apply", apply, floor, "<= 6x floor");
  fmt::print("check after the last apply: exit {} (0: compliant)\n", after);
  return after == 0 && floor.worst_exit == 0 && apply.worst_exit == 0 ? 0 : 1;
}
