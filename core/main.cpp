#include "cli/cli.hpp"

int main(int argc, char** argv) { return smharden::cli::run(argc, argv); }
