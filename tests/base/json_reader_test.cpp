// The bounded JSON reader every input goes through: regular files only (a FIFO
// or device refused unread), size and nesting limits, numbers that fit a
// double, and errors naming the file, the place and the error class.
#include "base/json_reader.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <string>

#include "base/errors.hpp"
#include "temp_dir.hpp"

using namespace smharden::core;
using smharden::test::temp_dir;

namespace {

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

template <class Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const error& e) {
    return e.what();
  }
  return "";
}

const json_read_options profile_opts{profile_json_limits, json_blame::profile, true, "profile"};
const json_read_options data_opts{target_json_limits, json_blame::data};

}  // namespace

TEST_CASE("json reader: a FIFO, a device and a folder are refused without reading", "[base][json]") {
  temp_dir d;
  const auto fifo = d.path() / "pipe.json";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  // No writer ever opens the FIFO: a reader that waited or read would hang here.
  CHECK_THROWS_AS(read_json_file(fifo, profile_opts), profile_error);
  CHECK_THROWS_WITH(read_json_file(fifo, profile_opts),
                    Catch::Matchers::Contains("expected a readable profile file, found a FIFO (named pipe)"));
  CHECK_THROWS_AS(read_json_file("/dev/zero", profile_opts), profile_error);
  CHECK_THROWS_WITH(read_json_file("/dev/zero", profile_opts),
                    Catch::Matchers::Contains("/dev/zero: expected a readable profile file, found a device"));
  CHECK_THROWS_AS(read_json_file(d.path(), data_opts), runtime_error);
  CHECK_THROWS_WITH(read_json_file(d.path(), data_opts), Catch::Matchers::Contains("found a folder"));
  CHECK_THROWS_AS(read_json_file(d.path() / "none.json", data_opts), runtime_error);
  CHECK_THROWS_WITH(read_json_file(d.path() / "none.json", data_opts), Catch::Matchers::Contains("found no such file"));
}

TEST_CASE("json reader: the size limit is checked before parsing", "[base][json]") {
  temp_dir d;
  const auto big = d.write("big.json", "[" + std::string(2000, ' ') + "]");
  const json_read_options tiny{{1000, 8}, json_blame::data};
  CHECK_THROWS_AS(read_json_file(big, tiny), runtime_error);
  CHECK_THROWS_WITH(read_json_file(big, tiny),
                    Catch::Matchers::Contains("expected a JSON file of at most 1000 bytes, found 2002 bytes"));
  CHECK_THROWS_AS(parse_json(std::string(1001, ' '), "text", tiny), runtime_error);
  CHECK(read_json_file(d.write("ok.json", "[1]"), tiny) == nlohmann::json::array({1}));
}

TEST_CASE("json reader: nesting beyond the limit is refused with its JSON pointer", "[base][json]") {
  const std::string deep = R"({"steps": {"x": {"params": {"a": )" + nested(20000) + "}}}}";
  const std::string message = error_of([&] { parse_ordered_json(deep, "deep.json", profile_opts); });
  CHECK(message ==
        "deep.json: /steps/x/params/a/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/"
        "0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0: expected JSON nested at most 64 levels deep, found deeper "
        "nesting. Fix: flatten the structure; nothing smharden reads needs more levels");
  CHECK_THROWS_AS(parse_ordered_json(deep, "deep.json", profile_opts), profile_error);
  CHECK_THROWS_AS(parse_json(nested(200000), "state.json", data_opts), runtime_error);
  CHECK(parse_json(nested(128), "state.json", data_opts).is_array());
  CHECK(json_depth(parse_json(nested(128), "state.json", data_opts)) == 128);
  CHECK_THROWS_AS(parse_json(nested(129), "state.json", data_opts), runtime_error);
}

TEST_CASE("json reader: 1e400 names the file, the place and the line", "[base][json]") {
  const std::string message = error_of([] { parse_json("{\n  \"a\": [1,\n    1e400]}", "t.json", data_opts); });
  CHECK(message ==
        "t.json: /a/1, line 3, column 9: expected a number within the range of a double (about ±1.8e308), found "
        "1e400. Fix: write a smaller number");
  CHECK(error_of([] { parse_json("-1e400", "t.json", profile_opts); }).find("t.json: line 1") == 0);
  // Input that may hold secrets is not quoted back.
  json_read_options quiet = data_opts;
  quiet.quote_input = false;
  CHECK(error_of([&] { parse_json(R"({"password": "hunter2" x})", "answer", quiet); }).find("hunter2") ==
        std::string::npos);
}

TEST_CASE("json reader: duplicate keys, key order and syntax errors", "[base][json]") {
  CHECK(error_of([] { parse_ordered_json(R"({"a": {"b": 1, "b": 2}})", "p.json", profile_opts); }) ==
        "p.json: /a/b: expected each key once per object, found \"b\" a second time. Fix: merge the two entries "
        "into one (JSON keeps only the last)");
  CHECK(parse_json(R"({"b": 1, "b": 2})", "d.json", data_opts)["b"] == 2);
  const auto ordered = parse_ordered_json(R"({"z": 1, "a": 2, "m": {"y": 1, "b": 2}})", "p.json", profile_opts);
  CHECK(ordered.dump() == R"({"z":1,"a":2,"m":{"y":1,"b":2}})");
  CHECK(error_of([] {
          parse_json("{\n\"a\": }", "s.json", data_opts);
        }).find("s.json: line 2, column 6: expected valid JSON, found syntax error") == 0);
  CHECK(parse_json("\xEF\xBB\xBF{\"bom\": true}", "bom.json", data_opts)["bom"] == true);
}

TEST_CASE("json reader: many members are read in linear time", "[base][json]") {
  // ordered_json's own insert searches the object; 200 000 members would take minutes that way.
  std::string text = "{";
  for (int i = 0; i < 200000; ++i) text += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":" + std::to_string(i);
  text += "}";
  const auto doc = parse_ordered_json(text, "wide.json", profile_opts);
  REQUIRE(doc.size() == 200000);
  CHECK(doc.begin().key() == "k0");
  CHECK((--doc.end()).key() == "k199999");
}
