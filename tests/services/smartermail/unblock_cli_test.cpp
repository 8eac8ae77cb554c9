// `smharden smartermail unblock` and `probe` through the real CLI on a lab: unblock journaled,
// shown in history, refused on an offline target; probe output escaped.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "base/atomic_file.hpp"
#include "cli_lab.hpp"

using json = nlohmann::json;

TEST_CASE("cli smartermail unblock lifts a lab's IDS block and journals it", "[smartermail][cli]") {
  smharden::test::cli_lab home("smharden-sm-unblock");
  const auto blocks_file = home.lab() / "smartermail" / "ids-blocks.json";
  json blocks = json::parse(smharden::util::read_file(blocks_file));
  blocks["ipBlocks"] = {{{"ip", "203.0.113.50"},
                         {"blockType", "BruteForce"},
                         {"protocol", "Smtp"},
                         {"ruleDescription", "brute force \x1b[31mred"}}};
  smharden::util::write_file_atomic(blocks_file, blocks.dump());

  const auto text = home.cli().run({"smartermail", "unblock", "203.0.113.50", "--target", home.target()});
  INFO(text.out << text.err);
  REQUIRE(text.exit_code == 0);
  CHECK(text.out.find("Lifted 1 IDS block") != std::string::npos);
  CHECK(text.out.find('\x1b') == std::string::npos);  // server text is escaped
  CHECK(text.out.find("\\x1b") != std::string::npos);
  CHECK(json::parse(smharden::util::read_file(blocks_file))["ipBlocks"].empty());

  const auto again =
      home.cli().run({"smartermail", "unblock", "203.0.113.50", "--target", home.target(), "--format", "json"});
  REQUIRE(again.exit_code == 0);
  const json report = again.out_json();
  CHECK(report["changed"] == false);
  CHECK(std::filesystem::exists(home.state() / "runs" / report["run_id"].get<std::string>() / "journal.jsonl"));

  const auto history = home.cli().run({"history"});
  CHECK(history.out.find("(smartermail unblock)") != std::string::npos);

  const auto bad = home.cli().run({"smartermail", "unblock", "not-an-ip", "--target", home.target()});
  CHECK(bad.exit_code != 0);
  CHECK(bad.err.find("not one IP address") != std::string::npos);

  const auto offline =
      home.cli().run({"smartermail", "unblock", "203.0.113.50", "--target", "offline:" + home.lab().string()});
  CHECK(offline.exit_code == 2);
}

TEST_CASE("cli smartermail probe escapes what the server sends and reads a lab's API reference copy",
          "[smartermail][cli][probe]") {
  smharden::test::cli_lab home("smharden-sm-probe");
  const auto sm = home.lab() / "smartermail";
  json version = json::parse(smharden::util::read_file(sm / "version.json"));
  version["version"] = "100.0.9400\x1b[2J\x07";
  smharden::util::write_file_atomic(sm / "version.json", version.dump());
  std::filesystem::create_directories(sm / "documentation");
  smharden::util::write_file_atomic(sm / "documentation" / "api.html",
                                    "<p>POST settings/sysadmin/unblock-ips ipBlocks ip blockType</p>");

  const auto text = home.cli().run({"smartermail", "probe", "--target", home.target()});
  INFO(text.out << text.err);
  CHECK(text.out.find('\x1b') == std::string::npos);
  CHECK(text.out.find('\x07') == std::string::npos);
  CHECK(text.out.find("100.0.9400\\x1b[2J") != std::string::npos);
  CHECK(text.out.find("API reference /Documentation/api: read") != std::string::npos);
  CHECK(text.out.find("1 routes named with all their fields") != std::string::npos);

  const json report =
      home.cli().run({"smartermail", "probe", "--target", home.target(), "--format", "json"}).out_json();
  for (const auto& row : report["routes"]) {
    if (row["route"] == "ids.blocks.unblock") CHECK(row["documented"]["route"] == true);
    if (row["route"] == "ids.rules.list") CHECK(row["documented"]["route"] == false);
  }
}
