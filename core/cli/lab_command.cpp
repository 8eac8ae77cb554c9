#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "services/service.hpp"

namespace smharden::cli {

void add_lab_command(CLI::App& app, cli_context& /*ctx*/) {
  auto* lab = app.add_subcommand("lab", "Manage labs: simulated fresh SmarterMail-on-Windows installs in a folder");
  lab->require_subcommand(1);
  auto* init = lab->add_subcommand("init", "Create a lab in DIR (an empty or new folder)");
  static std::string dir;
  init->add_option("DIR", dir, "Folder for the lab")->required();
  init->callback([] {
    services::init_lab(dir);
    std::cout << fmt::format("created a lab in {}\nuse it with: smharden check --target lab:{}\n", dir, dir);
  });
}

}  // namespace smharden::cli
