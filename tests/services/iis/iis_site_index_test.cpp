// The iis service's site index is read again only when an edit touches
// <sites>: edits of app pools or <location> sections keep it, so the steps of
// one apply do not each walk every site of a large config again.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "services/iis/iis_model.hpp"
#include "services/iis/iis_service.hpp"
#include "services/iis/preserving_xml.hpp"

using smharden::services::iis::preserving_xml;
using smharden::services::iis::site_index;

namespace {

const char* const config = R"(<?xml version="1.0" encoding="UTF-8"?>
<configuration>
    <system.applicationHost>
        <applicationPools>
            <add name="MailPool" />
        </applicationPools>
        <sites>
            <site name="SmarterMail" id="1">
                <application path="/" applicationPool="MailPool">
                    <virtualDirectory path="/" physicalPath="C:\Program Files (x86)\SmarterTools\SmarterMail\MRS" />
                </application>
                <bindings>
                    <binding protocol="http" bindingInformation="*:9998:" />
                </bindings>
            </site>
        </sites>
    </system.applicationHost>
</configuration>
)";

pugi::xml_node sites_of(const preserving_xml& d) { return d.root().child("system.applicationHost").child("sites"); }

}  // namespace

TEST_CASE("generation_of changes with edits under the element only") {
  preserving_xml d;
  d.load(config);
  const auto sites = sites_of(d);
  const auto before = d.generation_of(sites);
  const auto whole = d.generation();
  d.set_attribute(d.root().child("system.applicationHost").child("applicationPools").child("add"), "autoStart", "true");
  CHECK(d.generation() != whole);
  CHECK(d.generation_of(sites) == before);
  d.set_attribute(sites.child("site").child("bindings").child("binding"), "bindingInformation", "*:443:");
  CHECK(d.generation_of(sites) != before);

  preserving_xml again;
  again.load(config);
  CHECK(again.generation_of(sites_of(again)) != before);  // a new load is a new state
}

TEST_CASE("the site index stays right across an app pool edit and is read again after a site edit") {
  preserving_xml d;
  d.load(config);
  site_index index;
  REQUIRE(index.sites(d).size() == 1);
  CHECK(index.sites(d).front().app_pool == "MailPool");
  d.set_attribute(d.root().child("system.applicationHost").child("applicationPools").child("add"), "autoStart", "true");
  CHECK(index.sites(d).front().app_pool == "MailPool");
  d.set_attribute(sites_of(d).child("site").child("application"), "applicationPool", "OtherPool");
  CHECK(index.sites(d).front().app_pool == "OtherPool");
  const auto site = d.append_element(sites_of(d), "site");
  d.set_attribute(site, "name", "second");
  CHECK(index.sites(d).size() == 2);
}

TEST_CASE("sites_under is remembered per folder list and read again after an edit under <sites>") {
  preserving_xml d;
  d.load(config);
  site_index index;
  const std::vector<std::string> install{R"(C:\Program Files (x86)\SmarterTools\SmarterMail)"};
  REQUIRE(index.sites_under(d, install).size() == 1);
  CHECK(index.sites_under(d, {R"(D:\Other)"}).empty());  // another folder list is matched anew
  REQUIRE(index.sites_under(d, install).size() == 1);

  const auto second = d.append_element(sites_of(d), "site");
  d.set_attribute(second, "name", "Webmail copy");
  const auto app = d.append_element(second, "application");
  d.set_attribute(app, "path", "/");
  const auto vdir = d.append_element(app, "virtualDirectory");
  d.set_attribute(vdir, "path", "/");
  d.set_attribute(vdir, "physicalPath", R"(C:\Program Files (x86)\SmarterTools\SmarterMail\MRS2)");
  CHECK(index.sites_under(d, install).size() == 2);

  d.set_attribute(sites_of(d).child("site").child("application").child("virtualDirectory"), "physicalPath",
                  R"(D:\Other\www)");
  REQUIRE(index.sites_under(d, install).size() == 1);
  CHECK(std::string(index.sites_under(d, install).front().attribute("name").value()) == "Webmail copy");
}

TEST_CASE("many removals and appends under one element keep every untouched byte") {
  std::string text = "<configuration>\r\n  <list>\r\n";
  for (int i = 0; i < 50; ++i) text += "    <add  value='" + std::to_string(i) + "' />\r\n";
  text += "  </list>\r\n  <!-- kept -->\r\n</configuration>\r\n";
  preserving_xml d;
  d.load(text);
  auto list = d.root().child("list");
  // Remove every even entry, then append new ones, then remove one of the new ones.
  std::vector<pugi::xml_node> even;
  int i = 0;
  for (auto c : list.children("add")) {
    if (i++ % 2 == 0) even.push_back(c);
  }
  for (auto c : even) d.remove_element(c);
  pugi::xml_node last;
  for (int k = 0; k < 3; ++k) {
    last = d.append_element(list, "add");
    d.set_attribute(last, "value", "new" + std::to_string(k));
  }
  d.remove_element(last);
  const std::string out = d.serialize();
  std::string expected = "<configuration>\r\n  <list>\r\n";
  for (int k = 1; k < 50; k += 2) expected += "    <add  value='" + std::to_string(k) + "' />\r\n";
  expected += "    <add value=\"new0\" />\r\n    <add value=\"new1\" />\r\n";
  expected += "  </list>\r\n  <!-- kept -->\r\n</configuration>\r\n";
  CHECK(out == expected);
}
