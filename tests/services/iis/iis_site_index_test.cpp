// The iis service's site index is read again only when an edit touches
// <sites>: edits of app pools or <location> sections keep it, so the steps of
// one apply do not each walk every site of a large config again.
#include <catch2/catch.hpp>

#include <string>

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
