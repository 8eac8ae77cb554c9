// What the iis service knows about applicationHost.config's shape: sites,
// application pools, per-site <location> sections, global modules. Reads
// return JSON in the shapes documented in docs/services.md; edits go through
// preserving_xml so untouched bytes survive.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "services/iis/preserving_xml.hpp"

namespace smharden::services::iis {

using json = nlohmann::json;

bool iequals(std::string_view a, std::string_view b);
/// `parent`'s first child element `name`, appended when there is none.
pugi::xml_node ensure_child(preserving_xml& doc, pugi::xml_node parent, const char* name);
/// Whether `n` has a child element (text and comments do not count).
bool has_element_children(pugi::xml_node n);

// --- sites -----------------------------------------------------------------
pugi::xml_node sites_node(const preserving_xml& doc);
/// The <site> named `name` (case-insensitive, as IIS compares), or throws not_found.
pugi::xml_node require_site(const preserving_xml& doc, std::string_view name);
std::string site_app_pool(const preserving_xml& doc, pugi::xml_node site);
std::string site_physical_path(pugi::xml_node site);
json site_json(const preserving_xml& doc, pugi::xml_node site);
json bindings_json(pugi::xml_node site);
/// Every site with its root application's pool and its root folder, read once per state of the
/// document's <sites> (generation_of): site lookups and app pool reads would each walk all 10,000
/// sites of a shared host's config. The views point into the document and live until the next
/// edit under <sites>.
class site_index {
 public:
  struct entry {
    pugi::xml_node site;
    std::string_view app_pool;
    std::string_view physical_path;
  };
  const std::vector<entry>& sites(const preserving_xml& doc);
  /// The sites whose root folder is one of `dirs` or inside one (folder_matcher). Remembered per
  /// state of <sites> and folder list: every check and verify of the iis plugins looks the site up.
  const std::vector<pugi::xml_node>& sites_under(const preserving_xml& doc, const std::vector<std::string>& dirs);

 private:
  pugi::xml_node sites_;          ///< the <sites> element the entries were read from
  std::uint64_t generation_ = 0;  ///< and its generation_of then
  std::vector<entry> entries_;
  std::vector<std::string> match_dirs_;  ///< the folders of the last sites_under
  std::uint64_t match_generation_ = 0;   ///< generation_ when it ran
  std::vector<pugi::xml_node> match_hits_;
};
/// Case-insensitive "is a path one of these folders or inside one", after expanding %SystemDrive%.
/// The folders are normalized once: a 10,000-site config is scanned on every site lookup.
class folder_matcher {
 public:
  explicit folder_matcher(const std::vector<std::string>& dirs);
  bool contains(std::string_view path) const;

 private:
  std::vector<std::string> dirs_;
};

// --- application pools ----------------------------------------------------------
pugi::xml_node find_app_pool(const preserving_xml& doc, std::string_view name);
pugi::xml_node require_app_pool(const preserving_xml& doc, std::string_view name);
/// "absent", "encrypted", "marker" or "clear-text" — never the value.
std::string password_state(std::string_view attribute_value);
json app_pool_json(const preserving_xml& doc, pugi::xml_node pool, site_index& sites);

// --- per-site sections in <location path="SITE"><system.webServer><security> --
/// The site's section element, or an empty node.
pugi::xml_node find_site_section(const preserving_xml& doc, std::string_view site, std::string_view section);
/// Creates the <location>, <system.webServer>, <security> and section as needed.
pugi::xml_node ensure_site_section(preserving_xml& doc, std::string_view site, const char* section);
/// Removes the section and the wrappers it leaves empty.
void remove_site_section(preserving_xml& doc, std::string_view site, std::string_view section);
/// Server-level system.webServer/security/<section>, or an empty node.
pugi::xml_node server_section(const preserving_xml& doc, std::string_view section);
/// The element as XML text (the form undo records carry).
std::string element_xml(pugi::xml_node element);

json ip_security_json(const preserving_xml& doc, std::string_view site);
json dynamic_ip_security_json(const preserving_xml& doc, std::string_view site);
json modules_json(const preserving_xml& doc);

/// Parses "true"/"false" as IIS does (case-insensitive); `fallback` when empty.
bool parse_bool(std::string_view text, bool fallback);

}  // namespace smharden::services::iis
