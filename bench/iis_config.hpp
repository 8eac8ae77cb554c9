// A shared-hosting-sized applicationHost.config for the benchmarks: the lab's
// file (SmarterMail's site among a few others) with `sites` customer sites and
// their application pools added (~1 KB each, CR LF like IIS writes).
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>

namespace smharden::bench {

inline std::string generate_iis_config(std::string_view lab_config, size_t sites) {
  std::string text(lab_config);
  std::string pools;
  std::string blocks;
  pools.reserve(sites * 260);
  blocks.reserve(sites * 800);
  for (size_t i = 0; i < sites; ++i) {
    const std::string name = fmt::format("customer{:05}.example.net", i);
    pools += fmt::format(
        "            <add name=\"{0}\" managedRuntimeVersion=\"v4.0\">\r\n"
        "                <processModel identityType=\"ApplicationPoolIdentity\" idleTimeout=\"00:20:00\" />\r\n"
        "            </add>\r\n",
        name);
    blocks += fmt::format(
        "            <site name=\"{0}\" id=\"{1}\" serverAutoStart=\"true\">\r\n"
        "                <application path=\"/\" applicationPool=\"{0}\">\r\n"
        "                    <virtualDirectory path=\"/\" physicalPath=\"D:\\Hosting\\{0}\\wwwroot\" />\r\n"
        "                </application>\r\n"
        "                <bindings>\r\n"
        "                    <binding protocol=\"http\" bindingInformation=\"*:80:{0}\" />\r\n"
        "                    <binding protocol=\"http\" bindingInformation=\"*:80:www.{0}\" />\r\n"
        "                    <binding protocol=\"https\" bindingInformation=\"*:443:{0}\" sslFlags=\"1\" />\r\n"
        "                </bindings>\r\n"
        "                <logFile directory=\"D:\\Logs\\{0}\" />\r\n"
        "            </site>\r\n",
        name, i + 10);
  }
  const std::string pool_anchor = "            <applicationPoolDefaults";
  text.insert(text.find(pool_anchor), pools);
  const std::string site_anchor = "            <siteDefaults>";
  text.insert(text.find(site_anchor), blocks);
  return text;
}

}  // namespace smharden::bench
