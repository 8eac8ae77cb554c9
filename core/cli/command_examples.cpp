#include "cli/command_examples.hpp"

#include <map>

namespace smharden::cli {
namespace {

/// Examples shown at the end of `smharden COMMAND --help`, keyed by the command path.
const std::map<std::string, std::string>& examples() {
  static const std::map<std::string, std::string> table = {
      {"",
       "  smharden check --profile baseline.json --target lab:./lab\n"
       "  smharden apply --profile baseline.json --yes\n"
       "Global options (--plugin-dir, --secret-file, --secret-stdin, -v, --no-color, ...) may come before or "
       "after the command."},
      {"list", "  smharden list --plugin-dir ./my-plugins --format json"},
      {"describe", "  smharden describe iis-bindings"},
      {"validate", "  smharden validate profiles/baseline.json"},
      {"graph", "  smharden graph --profile profiles/baseline.json --format mermaid"},
      {"check", "  smharden check --profile profiles/baseline.json --target lab:./lab --report check.json"},
      {"apply",
       "  smharden apply --profile profiles/baseline.json --only acl --with-deps --yes\n"
       "  smharden apply --profile profiles/baseline.json --rotate-service-password --yes"},
      {"lab", "  smharden lab init ./lab"},
      {"lab init", "  smharden lab init ./lab && smharden check --profile profiles/baseline.json --target lab:./lab"},
      {"rollback", "  smharden rollback --last\n  smharden rollback 20260101T120000Z-1a2b3c --only acl"},
      {"history", "  smharden history --format json"},
      {"smartermail", "  smharden smartermail probe --target target.json"},
      {"smartermail probe", "  smharden smartermail probe --target target.json --format json"},
      {"smartermail unblock", "  smharden smartermail unblock 198.51.100.7 --target target.json"},
      {"plugins", "  smharden plugins lock"},
      {"plugins lock", "  smharden plugins lock /opt/smharden/plugins"},
      {"report", "  smharden report merge reports/*.json --report fleet.json"},
      {"report merge", "  smharden report merge web01.json web02.json --report fleet.json --report fleet.xml"},
      {"completion",
       "  smharden completion bash > ~/.local/share/bash-completion/completions/smharden\n"
       "  smharden completion powershell | Out-String | Invoke-Expression"},
  };
  return table;
}

void add_examples_below(CLI::App& app, const std::string& path) {
  if (const auto it = examples().find(path); it != examples().end()) {
    app.footer((path.empty() ? "Examples:\n" : "Example:\n") + it->second);
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    add_examples_below(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name());
  }
}

}  // namespace

void add_command_examples(CLI::App& app) { add_examples_below(app, ""); }

}  // namespace smharden::cli
