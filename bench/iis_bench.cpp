// iis benchmark: a shared-hosting-sized applicationHost.config (10,000 sites,
// ~10 MB) with the SmarterMail site among them. Prints medians of
//   parse   - read + parse + node map (preserving_xml::load), the floor;
//   check   - the three IIS steps' check logic through the iis service
//             (a fresh service per run: lazy parse included);
//   apply   - the three steps' apply: plan, mutating calls, commit_step each
//             (history copy, atomic write; the document is kept between steps);
// and the process's peak RSS. Targets: check <= 3x parse, apply <= 5x parse,
// RSS < 150 MB. Service level (no plugin loading, no CLI process).
// Given the smharden executable and the baseline profile, it also times the
// whole CLI (`check` / `apply --only` the three steps on a lab holding the
// generated file): process start, plugins, journal, backups and verify included.
//
//   bench_iis [sites=10000] [runs=7] [SMHARDEN_EXE BASELINE_PROFILE]
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "base/atomic_file.hpp"
#include "child_process.hpp"
#include "iis-bindings/binding_policy.hpp"
#include "iis-identity/identity_policy.hpp"
#include "iis-ip/ip_policy.hpp"
#include "iis_config.hpp"
#include "services/iis/iis_service.hpp"

namespace {

using smharden::json;
namespace svc = smharden::services;
namespace fs = std::filesystem;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double time_ms(const std::function<void()>& fn) {
  const auto t0 = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

struct harness {
  svc::service_env env;
  svc::target t;
  std::unique_ptr<svc::iis::iis_service> service;
  svc::registry reg;

  explicit harness(const fs::path& root) {
    env.before_file_write = [](const fs::path&) {};
    env.secret = [](const std::string&) -> std::optional<std::string> { return std::string("bench-password"); };
    env.log = [](const std::string&) {};
    t.kind = svc::target_kind::lab;
    t.root = root;
    service = std::make_unique<svc::iis::iis_service>(t, env);
    service->register_methods(reg);
  }
  json call(const std::string& m, const json& p = json::object()) { return reg.find(m)->invoke(p); }
};

const json identity_params = {{"user_name", ".\\smartermail-svc"}, {"password_secret", "service_password"}};
const json bindings_params = {
    {"allowed", json::parse(R"([{"protocol":"http","binding_information":"127.0.0.1:9998:"}])")}};
const json ip_params = json::parse(R"({"allow_unlisted": false, "allow": ["127.0.0.1", "10.20.0.0/16"],
  "dynamic": {"manage": true, "deny_by_concurrent_requests": {"enabled": true, "max_concurrent_requests": 10},
              "deny_by_request_rate": {"enabled": true, "max_requests": 30, "request_interval_ms": 300}}})");
const json management = json::array({"10.20.0.0/16"});

size_t check_all(harness& h) {
  const json site = h.call("iis.site.find");
  const json pool = h.call("iis.app_pool.get", {{"name", site["app_pool"]}});
  size_t findings = smharden::iis_identity::make_plan(identity_params, site, pool).findings.size();
  findings += smharden::iis_bindings::make_plan(bindings_params, site["bindings"]).findings.size();
  const json q = {{"site", site["name"]}};
  findings += smharden::iis_ip::make_plan(ip_params, management, h.call("iis.modules.get"),
                                          h.call("iis.ip_security.get", q), h.call("iis.dynamic_ip_security.get", q))
                  .findings.size();
  return findings;
}

void apply_all(harness& h) {
  json site = h.call("iis.site.find");
  const auto id = smharden::iis_identity::make_plan(identity_params, site,
                                                    h.call("iis.app_pool.get", {{"name", site["app_pool"]}}));
  if (id.set_identity) h.call("iis.app_pool.set_identity", *id.set_identity);
  h.service->commit_step();
  site = h.call("iis.site.find");
  const auto b = smharden::iis_bindings::make_plan(bindings_params, site["bindings"]);
  if (b.bindings) h.call("iis.bindings.set", {{"site", site["name"]}, {"bindings", *b.bindings}});
  h.service->commit_step();
  site = h.call("iis.site.find");
  const json q = {{"site", site["name"]}};
  const auto ip =
      smharden::iis_ip::make_plan(ip_params, management, h.call("iis.modules.get"), h.call("iis.ip_security.get", q),
                                  h.call("iis.dynamic_ip_security.get", q));
  if (ip.ip_security_set) {
    json p = *ip.ip_security_set;
    p["site"] = site["name"];
    h.call("iis.ip_security.set", p);
  }
  if (ip.dynamic_set) {
    json p = *ip.dynamic_set;
    p["site"] = site["name"];
    h.call("iis.dynamic_ip_security.set", p);
  }
  h.service->commit_step();
}

// The CLI on a lab whose applicationHost.config is the generated one; prints medians.
void time_cli(const std::string& exe, const std::string& profile, const fs::path& seed, const fs::path& work, int runs,
              double parse_ms) {
  using smharden::bench::run_child;
  setenv("SMHARDEN_STATE_DIR", (work / "state").c_str(), 1);
  setenv("SMHARDEN_SECRET_SERVICE_PASSWORD", "Bench-Only-Passw0rd", 1);
  const std::string lab = (work / "lab").string();
  if (run_child({exe, "lab", "init", lab}).exit_code != 0) {
    fmt::print("cli: `smharden lab init` failed; CLI figures skipped\n");
    return;
  }
  const std::string iis_steps = "iis-identity,iis-ip,iis-bindings";
  // The service user and its rights first: iis-identity requires them.
  run_child({exe, "apply", "--yes", "--no-restart", "--no-auto-rollback", "--profile", profile, "--target",
             "lab:" + lab, "--skip", iis_steps});
  const fs::path config = fs::path(lab) / "iis" / "applicationHost.config";
  const std::vector<std::string> common = {"--profile", profile, "--target", "lab:" + lab, "--only", iis_steps};
  auto with = [&](std::vector<std::string> head) {
    head.insert(head.begin(), exe);
    head.insert(head.end(), common.begin(), common.end());
    return head;
  };
  std::vector<double> check;
  std::vector<double> apply;
  long rss_kb = 0;
  int apply_exit = 0;
  for (int r = 0; r < runs; ++r) {
    fs::copy_file(seed, config, fs::copy_options::overwrite_existing);
    fs::remove_all(config.parent_path() / "history");
    const auto c = run_child(with({"check", "--format", "json"}));
    const auto a = run_child(with({"apply", "--yes", "--format", "json"}));
    check.push_back(c.wall_ms);
    apply.push_back(a.wall_ms);
    rss_kb = std::max({rss_kb, c.max_rss_kb, a.max_rss_kb});
    apply_exit = std::max(apply_exit, a.exit_code);
  }
  const double c = median(check);
  const double a = median(apply);
  fmt::print("cli check    {:8.1f} ms  = {:.2f}x parse  (process, plugins, report)\n", c, c / parse_ms);
  fmt::print(
      "cli apply    {:8.1f} ms  = {:.2f}x parse  (check, journal, backup, history, 3 commits, verify); exit {}\n", a,
      a / parse_ms, apply_exit);
  fmt::print("cli peak RSS {:8.1f} MB\n", static_cast<double>(rss_kb) / 1024.0);
}

}  // namespace

int main(int argc, char** argv) {
  const size_t sites = argc > 1 ? std::stoul(argv[1]) : 10000;
  const int runs = argc > 2 ? std::stoi(argv[2]) : 7;
  std::random_device rd;
  const fs::path root = fs::temp_directory_path() / fmt::format("smharden-iis-bench-{}", rd());
  const fs::path file = root / "iis" / "applicationHost.config";
  fs::create_directories(file.parent_path());
  const fs::path seed = root / "seed.config";
  {
    const std::string text = smharden::bench::generate_iis_config(svc::iis::lab_template(), sites);
    smharden::util::write_file_atomic(seed, text);
    fmt::print("iis bench: {} sites, {:.1f} MB applicationHost.config, {} runs (medians)\n", sites,
               static_cast<double>(text.size()) / 1e6, runs);
  }
  fs::copy_file(seed, file, fs::copy_options::overwrite_existing);

  std::vector<double> parse;
  std::vector<double> check;
  std::vector<double> apply;
  size_t findings = 0;
  for (int r = 0; r < runs; ++r) {
    parse.push_back(time_ms([&] {
      smharden::services::iis::preserving_xml doc;
      doc.load(smharden::util::read_file(file));
    }));
    check.push_back(time_ms([&] {
      harness h(root);
      findings = check_all(h);
    }));
  }
  for (int r = 0; r < runs; ++r) {
    fs::copy_file(seed, file, fs::copy_options::overwrite_existing);
    fs::remove_all(file.parent_path() / "history");
    apply.push_back(time_ms([&] {
      harness h(root);
      apply_all(h);
    }));
  }
  // The last apply left a compliant file: a check finds nothing and a re-apply writes nothing.
  const auto applied_time = fs::last_write_time(file);
  const std::string applied_hash = smharden::util::sha256_hex(smharden::util::read_file(file));
  size_t after = 0;
  {
    harness h(root);
    after = check_all(h);
    apply_all(h);
  }
  const bool unchanged = fs::last_write_time(file) == applied_time &&
                         smharden::util::sha256_hex(smharden::util::read_file(file)) == applied_hash;
  const fs::path cli_work =
      fs::temp_directory_path() / fmt::format("smharden-iis-bench-cli-{}", std::random_device{}());
  if (argc > 4) {
    fs::create_directories(cli_work);
    fs::copy_file(seed, cli_work / "seed.config");
  }
  if (std::getenv("SMHARDEN_BENCH_KEEP") != nullptr) {
    // Leave a lab-shaped folder (fresh copy of the generated config) for timing the CLI by hand.
    fs::copy_file(seed, file, fs::copy_options::overwrite_existing);
    fs::remove_all(file.parent_path() / "history");
    fmt::print("kept {} (config: iis/applicationHost.config)\n", root.string());
  } else {
    fs::remove_all(root);
  }

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double p = median(parse);
  const double c = median(check);
  const double a = median(apply);
  const double rss_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  fmt::print("parse-only   {:8.1f} ms\n", p);
  fmt::print("check (3)    {:8.1f} ms  = {:.2f}x parse (target <= 3x)  findings before: {}, after apply: {}\n", c,
             c / p, findings, after);
  fmt::print("apply (3)    {:8.1f} ms  = {:.2f}x parse (target <= 5x)  3 commits, re-apply unchanged: {}\n", a, a / p,
             unchanged ? "yes" : "NO");
  fmt::print("peak RSS     {:8.1f} MB  (target < 150 MB)\n", rss_mb);
  if (argc > 4) {
    time_cli(argv[3], argv[4], cli_work / "seed.config", cli_work, runs, p);
    fs::remove_all(cli_work);
  }
  return unchanged && after == 0 ? 0 : 1;
}
