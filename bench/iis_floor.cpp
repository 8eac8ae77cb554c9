// The floor for the run-cost benchmark: what any program that answers "which
// IIS site serves SmarterMail?" from applicationHost.config must at least do.
// One pugixml load_file of the file and one XPath query like the iis plugins'
// site lookup (the site whose root virtual directory is under SmarterMail's
// install folder), printed. Nothing smharden-specific is linked in.
//
// Usage: bench_iis_floor APPLICATIONHOST_CONFIG
#include <cstdio>
#include <pugixml.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s APPLICATIONHOST_CONFIG\n", argv[0]);
    return 2;
  }
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_file(argv[1]);
  if (!parsed) {
    std::fprintf(stderr, "%s: %s\n", argv[1], parsed.description());
    return 1;
  }
  const pugi::xpath_node_set sites = doc.select_nodes(
      "/configuration/system.applicationHost/sites/site[application[@path='/']/virtualDirectory[@path='/' and "
      "starts-with(translate(@physicalPath, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), "
      "'c:\\program files (x86)\\smartertools\\smartermail')]]");
  for (const pugi::xpath_node& site : sites) std::printf("%s\n", site.node().attribute("name").value());
  return sites.empty() ? 1 : 0;
}
