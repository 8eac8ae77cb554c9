#include <catch2/catch.hpp>

#include "base/errors.hpp"
#include "graph/step_graph.hpp"

using namespace smharden::core;

namespace {

struct catalog {
  std::map<std::string, plugin_node> plugins;

  catalog& add(const std::string& id, std::vector<dependency> requires_ = {}, std::vector<std::string> after = {},
               std::vector<std::string> tags = {}, const std::string& version = "1.0.0") {
    plugins[id] = plugin_node{id, version, std::move(requires_), std::move(after), std::move(tags)};
    return *this;
  }
};

std::string graph_error_text(const std::vector<std::string>& steps, const catalog& c) {
  try {
    order_steps(steps, c.plugins);
  } catch (const graph_error& e) {
    return e.what();
  }
  FAIL("no graph_error thrown");
  return {};
}

// The guide's plugins and their dependencies (DESIGN.md).
catalog guide() {
  catalog c;
  c.add("accounts", {}, {}, {"windows"});
  c.add("rights", {{"accounts", "^1.0.0"}}, {}, {"windows"});
  c.add("acl", {{"accounts", "^1.0.0"}}, {}, {"windows"});
  c.add("service", {{"accounts", "^1.0.0"}, {"rights", "*"}, {"acl", "*"}}, {}, {"windows"});
  c.add("iis-identity", {{"accounts", "*"}, {"acl", "*"}}, {}, {"iis"});
  c.add("iis-ip", {}, {}, {"iis", "network"});
  c.add("iis-bindings", {}, {"iis-ip"}, {"iis", "network"});
  c.add("sm-admin", {}, {}, {"smartermail"});
  c.add("sm-relay", {}, {}, {"smartermail", "network"});
  return c;
}

}  // namespace

TEST_CASE("independent steps keep profile order", "[graph]") {
  catalog c;
  c.add("zeta").add("alpha").add("mid");
  CHECK(order_steps({"zeta", "alpha", "mid"}, c.plugins) == std::vector<std::string>{"zeta", "alpha", "mid"});
  CHECK(order_steps({"mid", "zeta", "alpha"}, c.plugins) == std::vector<std::string>{"mid", "zeta", "alpha"});
}

TEST_CASE("requires puts the dependency first, whatever the profile order", "[graph]") {
  auto c = guide();
  auto order = order_steps({"service", "iis-identity", "acl", "rights", "accounts"}, c.plugins);
  // Once accounts and acl ran, iis-identity (profile position 1) is ready before rights (3).
  CHECK(order == std::vector<std::string>{"accounts", "acl", "iis-identity", "rights", "service"});
}

TEST_CASE("ordering is deterministic: ties by profile position, then id", "[graph]") {
  auto c = guide();
  const std::vector<std::string> steps{"sm-relay", "sm-admin", "accounts", "rights", "acl"};
  auto first = order_steps(steps, c.plugins);
  CHECK(first == std::vector<std::string>{"sm-relay", "sm-admin", "accounts", "rights", "acl"});
  for (int i = 0; i < 20; ++i) CHECK(order_steps(steps, c.plugins) == first);

  // Two required plugins that no profile lists share their user's position: the id decides.
  catalog d;
  d.add("zz").add("aa").add("user", {{"zz", "*"}, {"aa", "*"}}).add("other");
  CHECK(order_steps({"other", "user"}, d.plugins) == std::vector<std::string>{"other", "aa", "zz", "user"});
}

TEST_CASE("required plugins missing from the profile are added right before their first user", "[graph]") {
  auto c = guide();
  auto order = order_steps({"sm-admin", "service", "sm-relay"}, c.plugins);
  CHECK(order == std::vector<std::string>{"sm-admin", "accounts", "acl", "rights", "service", "sm-relay"});
}

TEST_CASE("after orders only plugins that take part in the run", "[graph]") {
  auto c = guide();
  CHECK(order_steps({"iis-bindings", "iis-ip"}, c.plugins) == std::vector<std::string>{"iis-ip", "iis-bindings"});
  // iis-ip is installed but not in the run: the after-edge is ignored and iis-ip is not added.
  CHECK(order_steps({"iis-bindings"}, c.plugins) == std::vector<std::string>{"iis-bindings"});
  // An after-edge to a plugin that is not installed at all is ignored too.
  c.add("late", {}, {"not-installed"});
  CHECK(order_steps({"late"}, c.plugins) == std::vector<std::string>{"late"});
}

TEST_CASE("a two-node cycle is reported as a path", "[graph]") {
  catalog c;
  c.add("a", {{"b", "*"}}).add("b", {{"a", "*"}});
  CHECK(graph_error_text({"a", "b"}, c) ==
        "dependency cycle: a -> b -> a (x -> y: x requires or runs after y). Fix: remove one of these "
        "\"requires\"/\"after\" entries");
  // The path starts at the step that comes first in the profile.
  CHECK(graph_error_text({"b", "a"}, c).rfind("dependency cycle: b -> a -> b ", 0) == 0);
}

TEST_CASE("a three-node cycle mixing requires and after is reported as a path", "[graph]") {
  catalog c;
  c.add("first", {{"second", "*"}}).add("second", {}, {"third"}).add("third", {{"first", "*"}}).add("free");
  CHECK(graph_error_text({"free", "first", "second", "third"}, c)
            .rfind("dependency cycle: first -> second -> third -> first ", 0) == 0);
}

TEST_CASE("a cycle behind a clean prefix is still found", "[graph]") {
  catalog c;
  c.add("root").add("x", {{"root", "*"}, {"y", "*"}}).add("y", {{"x", "*"}});
  CHECK(graph_error_text({"root", "x", "y"}, c).rfind("dependency cycle: x -> y -> x ", 0) == 0);
}

TEST_CASE("a plugin requiring itself is a cycle", "[graph]") {
  catalog c;
  c.add("selfish", {{"selfish", "*"}});
  CHECK(graph_error_text({"selfish"}, c).rfind("dependency cycle: selfish -> selfish ", 0) == 0);
}

TEST_CASE("a missing required plugin names both sides and the range", "[graph]") {
  catalog c;
  c.add("service", {{"accounts", ">=1.0.0"}});
  CHECK(graph_error_text({"service"}, c) ==
        "service requires accounts >=1.0.0, which is not installed. Fix: install the accounts plugin, or remove "
        "service from the profile");
}

TEST_CASE("an out-of-range required plugin names both versions", "[graph]") {
  catalog c;
  c.add("accounts", {}, {}, {}, "2.1.0").add("service", {{"accounts", ">=1.0.0 <2.0.0"}});
  CHECK(graph_error_text({"accounts", "service"}, c) ==
        "service requires accounts >=1.0.0 <2.0.0, but accounts 2.1.0 is installed. Fix: install a version of "
        "accounts that matches >=1.0.0 <2.0.0");
}

TEST_CASE("every dependency problem is listed, one per line", "[graph]") {
  catalog c;
  c.add("accounts", {}, {}, {}, "0.9.0").add("rights", {{"accounts", "^1.0.0"}}).add("acl", {{"owner", "*"}});
  std::string text = graph_error_text({"rights", "acl"}, c);
  CHECK(text.find("rights requires accounts ^1.0.0, but accounts 0.9.0 is installed") != std::string::npos);
  CHECK(text.find("\nacl requires owner *, which is not installed") != std::string::npos);
}

TEST_CASE("a step without an installed plugin is an error with a suggestion", "[graph]") {
  auto c = guide();
  CHECK(graph_error_text({"acounts"}, c) ==
        "step acounts has no installed plugin of that id. Fix: install it, or remove it from the profile (`smharden "
        "list` shows installed plugins) Did you mean \"accounts\"?");
}

TEST_CASE("transitive_requires follows requires only", "[graph]") {
  auto c = guide();
  CHECK(transitive_requires("service", c.plugins) == std::set<std::string>{"accounts", "acl", "rights"});
  CHECK(transitive_requires("iis-bindings", c.plugins).empty());  // after is not a requirement
  CHECK(transitive_requires("accounts", c.plugins).empty());
}

TEST_CASE("selection: --only, --skip, --tags, with and without deps", "[graph]") {
  auto c = guide();
  const auto ordered = order_steps(
      {"accounts", "rights", "acl", "service", "iis-identity", "iis-ip", "iis-bindings", "sm-admin", "sm-relay"},
      c.plugins);
  using set = std::set<std::string>;

  CHECK(select_steps(ordered, c.plugins, {}).size() == ordered.size());
  CHECK(select_steps(ordered, c.plugins, {{"service"}, {}, {}, false}) == set{"service"});
  CHECK(select_steps(ordered, c.plugins, {{"service"}, {}, {}, true}) == set{"accounts", "acl", "rights", "service"});
  // --skip wins over --with-deps; the engine then blocks service if accounts is not compliant.
  CHECK(select_steps(ordered, c.plugins, {{"service"}, {"accounts"}, {}, true}) == set{"acl", "rights", "service"});
  CHECK(select_steps(ordered, c.plugins, {{}, {"iis-ip", "sm-admin"}, {}, false}) ==
        set{"accounts", "rights", "acl", "service", "iis-identity", "iis-bindings", "sm-relay"});
  CHECK(select_steps(ordered, c.plugins, {{}, {}, {"network"}, false}) == set{"iis-ip", "iis-bindings", "sm-relay"});
  CHECK(select_steps(ordered, c.plugins, {{}, {}, {"iis"}, true}) ==
        set{"accounts", "acl", "iis-identity", "iis-ip", "iis-bindings"});
  // --only and --tags combine: both must hold.
  CHECK(select_steps(ordered, c.plugins, {{"sm-admin", "sm-relay"}, {}, {"network"}, false}) == set{"sm-relay"});
  CHECK(select_steps(ordered, c.plugins, {{}, {}, {"no-such-tag"}, false}).empty());
}

TEST_CASE("selection refuses ids that are not steps of the run", "[graph]") {
  auto c = guide();
  const std::vector<std::string> ordered{"accounts", "rights"};
  try {
    select_steps(ordered, c.plugins, {{"acount"}, {"sm-admin"}, {}, false});
    FAIL("no usage_error");
  } catch (const usage_error& e) {
    CHECK(std::string(e.what()) ==
          "--only acount: not a step of this run (steps: accounts, rights) Did you mean \"accounts\"?\n"
          "--skip sm-admin: not a step of this run (steps: accounts, rights)");
  }
}
