// profiles/schema/profile.schema.json is what editors complete against: it
// must accept the shipped profiles and refuse what load_profile refuses.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

using json = nlohmann::json;

namespace {
const std::filesystem::path source_dir = SMHARDEN_SOURCE_DIR;

json read(const std::filesystem::path& path) {
  std::ifstream in(path);
  REQUIRE(in);
  return json::parse(in);
}

bool schema_accepts(const json& document, std::string* errors = nullptr) {
  static const json schema_json = read(source_dir / "profiles/schema/profile.schema.json");
  valijson::Schema schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_json);
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(document);
  bool ok = validator.validate(schema, target, &results);
  if (errors) {
    for (const auto& e : results) {
      for (const auto& c : e.context) *errors += c;
      *errors += ": " + e.description + "\n";
    }
  }
  return ok;
}
}  // namespace

TEST_CASE("the shipped profiles validate against the profile schema", "[profile][schema]") {
  for (const auto& entry : std::filesystem::directory_iterator(source_dir / "profiles")) {
    if (entry.path().extension() != ".json") continue;
    std::string errors;
    INFO(entry.path().string());
    CHECK(schema_accepts(read(entry.path()), &errors));
    INFO(errors);
  }
}

TEST_CASE("the profile schema refuses what the loader refuses", "[profile][schema]") {
  CHECK(schema_accepts(json::parse(R"({"name": "x", "steps": {"accounts": {"enabled": true, "severity": "high",
      "params": {"user": "${u}"}}}, "waivers": [{"step": "accounts", "reason": "r", "expires": "2026-12-31"}],
      "management_cidrs": ["10.0.0.0/8", "2001:db8::/32"], "vars": {"u": "svc"}, "health": {}})")));
  CHECK_FALSE(schema_accepts(json::parse(R"({"stpes": {}})")));
  CHECK(schema_accepts(json::parse(R"({"access": {"management": ["203.0.113.0/24"], "webmail_users": ["0.0.0.0/0",
      "::/0"], "mail_clients": [], "relay_apps": [{"address": "198.51.100.10", "name": "CRM"}]}})")));
  CHECK_FALSE(schema_accepts(json::parse(R"({"access": {"webmail": []}})")));
  CHECK_FALSE(schema_accepts(json::parse(R"({"access": {"relay_apps": [{"name": "CRM"}]}})")));
  CHECK_FALSE(schema_accepts(json::parse(R"({"access": {"mail_clients": ["mail.example.test"]}})")));
  CHECK_FALSE(schema_accepts(json::parse(R"({"steps": {"a": {"severity": "hgh"}}})")));
  CHECK_FALSE(schema_accepts(json::parse(R"({"steps": {"a": {"param": {}}}})")));
  CHECK_FALSE(schema_accepts(json::parse(R"({"waivers": [{"step": "a", "expires": "2026-12-31"}]})")));
  CHECK_FALSE(schema_accepts(json::parse(R"({"waivers": [{"step": "a", "reason": "r", "expires": "31.12.2026"}]})")));
  CHECK_FALSE(schema_accepts(json::parse(R"({"management_cidrs": ["not an address"]})")));
  CHECK_FALSE(schema_accepts(json::parse(R"({"extends": 3})")));
}
