// Command-line conventions: global options after the command, an example in
// every command's --help, shell completion, colours and progress only on a
// terminal (--no-color, NO_COLOR).
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cerrno>
#include <cstdlib>
#include <regex>
#include <set>

#include "cli_lab.hpp"
#include "lab_files.hpp"

using smharden::test::cli_result;

namespace {

const char* compliant_profile = R"({"name": "cli", "steps": {"tp-alpha": {"params": {"static": true}}}})";
const char* drift_profile =
    R"({"name": "cli", "steps": {"tp-alpha": {"params": {"static": true, "compliant": false}}}})";

/// Runs smharden with stdin, stdout and stderr on a new pseudo-terminal (as an operator's console),
/// `env` added; returns the exit code and everything written to the terminal.
cli_result run_on_terminal(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) {
  int master = -1;
  const pid_t pid = forkpty(&master, nullptr, nullptr, nullptr);
  REQUIRE(pid >= 0);
  if (pid == 0) {
    unsetenv("NO_COLOR");
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    const std::string exe = smharden::test::smharden_exe().string();
    std::vector<char*> argv{const_cast<char*>(exe.c_str())};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(exe.c_str(), argv.data());
    _exit(127);
  }
  cli_result r;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(master, buf, sizeof buf);
    if (n > 0) {
      r.out.append(buf, static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;  // EIO: the child closed the terminal
    }
  }
  close(master);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

/// Runs `script` in bash -c, in `dir`, and returns its stdout.
std::string bash(const std::string& script, const std::filesystem::path& dir) {
  const smharden::test::temp_dir scratch{"smharden-bash"};
  const auto file = scratch.write("script.sh", "cd '" + dir.string() + "' || exit 9\n" + script);
  const auto out = scratch.path() / "out.txt";
  const std::string cmd = "bash --norc --noprofile '" + file.string() + "' > '" + out.string() + "' 2>&1";
  const int rc = std::system(cmd.c_str());
  const std::string text = smharden::test::slurp(out);
  INFO(text);
  REQUIRE(rc == 0);
  return text;
}

/// The words bash completion offers for `line` (the last word is the one being completed).
std::string complete(const std::filesystem::path& script, const std::vector<std::string>& line,
                     const std::filesystem::path& dir) {
  std::string words;
  for (const auto& w : line) words += " '" + w + "'";
  return bash("source '" + script.string() + "'\nCOMP_WORDS=(" + words + ")\nCOMP_CWORD=" +
                  std::to_string(line.size() - 1) + "\n_smharden\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n",
              dir);
}

std::set<std::string> lines_of(const std::string& text) {
  std::set<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto nl = text.find('\n', start);
    out.insert(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

/// Every command path, read from the bash completion script ("" is the program).
std::vector<std::string> command_paths(const std::string& bash_script) {
  std::vector<std::string> paths;
  const std::regex entry(R"re(^    "([a-z ]*)"\) words=)re", std::regex::multiline);
  for (auto it = std::sregex_iterator(bash_script.begin(), bash_script.end(), entry); it != std::sregex_iterator();
       ++it) {
    paths.push_back((*it)[1]);
  }
  return paths;
}

}  // namespace

TEST_CASE("cli: global options are accepted after the command", "[cli][conventions]") {
  const smharden::test::cli_lab home{"smharden-conv", {}, /*init=*/false};
  const auto before = home.cli().run({"--plugin-dir", TEST_PLUGIN_DIR, "list", "--format", "json"});
  const auto after = home.cli().run({"list", "--plugin-dir", TEST_PLUGIN_DIR, "--format", "json"});
  REQUIRE(before.exit_code == 0);
  REQUIRE(after.exit_code == 0);
  const nlohmann::json listed = after.out_json();
  CHECK(before.out_json()["plugins"] == listed["plugins"]);
  bool alpha = false;
  for (const auto& p : listed["plugins"]) alpha = alpha || p["id"] == "tp-alpha";
  CHECK(alpha);

  // A global option after a nested command, and -v after check.
  const auto lab = home.root() / "lab2";
  CHECK(home.cli().run({"lab", "init", lab.string(), "--plugin-dir", TEST_PLUGIN_DIR}).exit_code == 0);
  const auto profile = home.write("ok.json", compliant_profile).string();
  const auto check = home.cli().run(
      {"check", "--profile", profile, "--target", "lab:" + lab.string(), "--plugin-dir", TEST_PLUGIN_DIR, "-v"});
  CHECK(check.exit_code == 0);
  // An option no command knows stays a usage error.
  const auto bad = home.cli().run({"list", "--no-such-option"});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--no-such-option"));
}

TEST_CASE("cli: every command's --help ends with an example", "[cli][conventions]") {
  const smharden::test::cli_runner cli;
  const auto script = cli.run({"completion", "bash"});
  REQUIRE(script.exit_code == 0);
  const auto paths = command_paths(script.out);
  REQUIRE(paths.size() >= 15);  // the program and every command, nested ones too
  for (const auto& path : paths) {
    std::vector<std::string> args;
    std::size_t start = 0;
    while (!path.empty() && start <= path.size()) {
      const auto sp = path.find(' ', start);
      args.push_back(path.substr(start, sp == std::string::npos ? std::string::npos : sp - start));
      if (sp == std::string::npos) break;
      start = sp + 1;
    }
    args.push_back("--help");
    const auto help = cli.run(args);
    INFO("smharden " << path << " --help\n" << help.out << help.err);
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Catch::Contains(path.empty() ? "Examples:\n  smharden " : "Example:\n  smharden " + path));
  }
}

TEST_CASE("cli: bash completion completes commands, options and file names", "[cli][conventions]") {
  const smharden::test::cli_runner cli;
  const smharden::test::temp_dir dir{"smharden-completion"};
  const auto r = cli.run({"completion", "bash"});
  REQUIRE(r.exit_code == 0);
  const auto script = dir.write("smharden.bash", r.out);
  dir.write("profile-a.json", "{}");

  const auto commands = lines_of(complete(script, {"smharden", ""}, dir.path()));
  for (const char* c : {"list", "check", "apply", "rollback", "history", "lab", "completion", "--plugin-dir"}) {
    CHECK(commands.count(c) == 1);
  }
  CHECK(lines_of(complete(script, {"smharden", "l"}, dir.path())) == std::set<std::string>{"lab", "list"});
  CHECK(lines_of(complete(script, {"smharden", "lab", ""}, dir.path())).count("init") == 1);
  CHECK(lines_of(complete(script, {"smharden", "check", "--pro"}, dir.path())) == std::set<std::string>{"--profile"});
  // Global options after the command, and an option value is a file name.
  CHECK(lines_of(complete(script, {"smharden", "list", "--plug"}, dir.path())) ==
        std::set<std::string>{"--plugin-dir"});
  CHECK(lines_of(complete(script, {"smharden", "check", "--profile", "prof"}, dir.path())) ==
        std::set<std::string>{"profile-a.json"});
  // A value that looks like a command does not change the command being completed.
  CHECK(lines_of(complete(script, {"smharden", "--plugin-dir", "lab", "check", "--with"}, dir.path())) ==
        std::set<std::string>{"--with-deps"});
  CHECK_THAT(bash("source '" + script.string() + "'\ncomplete -p smharden\n", dir.path()),
             Catch::Contains("-F _smharden"));
}

TEST_CASE("cli: the PowerShell completion script names every command", "[cli][conventions]") {
  // PowerShell itself is not on the Linux test machines: this checks the script's content only.
  const smharden::test::cli_runner cli;
  const auto bash_script = cli.run({"completion", "bash"});
  const auto ps = cli.run({"completion", "powershell"});
  REQUIRE(ps.exit_code == 0);
  CHECK_THAT(ps.out, Catch::Contains("Register-ArgumentCompleter -Native -CommandName smharden, smharden.exe"));
  for (const auto& path : command_paths(bash_script.out)) CHECK_THAT(ps.out, Catch::Contains("'" + path + "' = @("));
  CHECK_THAT(ps.out, Catch::Contains("'--profile'"));
  CHECK(cli.run({"completion", "zsh"}).exit_code == 2);
}

TEST_CASE("cli: colours and progress only on a terminal, --no-color and NO_COLOR turn colours off",
          "[cli][conventions]") {
  const smharden::test::cli_lab home{"smharden-tty", TEST_PLUGIN_DIR};
  const auto profile = home.write("drift.json", drift_profile).string();
  const std::map<std::string, std::string> env{{"SMHARDEN_STATE_DIR", home.state().string()}};
  const std::vector<std::string> check{"--plugin-dir", TEST_PLUGIN_DIR, "check",      "--profile",
                                       profile,        "--target",      home.target()};
  const std::string green_or_yellow_or_red = "\033[3";

  const auto tty = run_on_terminal(check, env);
  INFO(tty.out);
  CHECK(tty.exit_code == 3);
  CHECK_THAT(tty.out, Catch::Contains(green_or_yellow_or_red));
  CHECK_THAT(tty.out, Catch::Contains("[1/1] tp-alpha ..."));  // progress

  auto no_color_args = check;
  no_color_args.push_back("--no-color");
  const auto flag = run_on_terminal(no_color_args, env);
  CHECK(flag.exit_code == 3);
  CHECK_THAT(flag.out, Catch::Contains("drift") && !Catch::Contains(green_or_yellow_or_red));

  auto with_env = env;
  with_env["NO_COLOR"] = "1";
  const auto no_color_env = run_on_terminal(check, with_env);
  CHECK(no_color_env.exit_code == 3);
  CHECK_THAT(no_color_env.out, Catch::Contains("drift") && !Catch::Contains(green_or_yellow_or_red));
  with_env["NO_COLOR"] = "";  // set but empty: no-color.org says it does not count
  CHECK_THAT(run_on_terminal(check, with_env).out, Catch::Contains(green_or_yellow_or_red));

  // Not a terminal: neither colours nor progress.
  const auto piped = home.cli().run({"check", "--profile", profile, "--target", home.target()});
  CHECK(piped.exit_code == 3);
  CHECK_THAT(piped.out, Catch::Contains("drift") && !Catch::Contains("\033["));
  CHECK_THAT(piped.err, !Catch::Contains("[1/1]") && !Catch::Contains("\r"));
}
