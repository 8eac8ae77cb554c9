// The registry refuses a module that others can write before opening it,
// loads it with the override and records that, and checks signatures
// through the verifier it is given.
#include <catch2/catch.hpp>

#include "refusal_of.hpp"
#include "registry/plugin_registry.hpp"
#include "trust_folder.hpp"

using namespace smharden::core;
using trust_test::refusal_of;
using trust_test::trust_folder;
namespace fs = std::filesystem;

namespace {

class fake_verifier final : public signature_verifier {
 public:
  explicit fake_verifier(std::string answer) : answer_(std::move(answer)) {}
  mutable int calls = 0;
  std::string problem(const fs::path&) const override {
    ++calls;
    return answer_;
  }

 private:
  std::string answer_;
};

}  // namespace

TEST_CASE("trust: a plugin in a 0755 folder, 0644, owned by root is loaded", "[registry][trust]") {
  trust_folder f;
  plugin_registry reg;
  reg.load_from({f.dir});
  CHECK(reg.refusals().empty());
  CHECK(reg.find("trust-probe") != nullptr);
  CHECK(reg.insecure_loads().empty());
  CHECK_FALSE(reg.refused_untrusted());
}

TEST_CASE("trust: a plugin folder 0777 with a plugin file 0666 is refused, naming both and the fix",
          "[registry][trust]") {
  trust_folder f;
  fs::permissions(f.dir, fs::perms(0777));
  fs::permissions(f.module, fs::perms(0666));
  plugin_registry reg;
  reg.load_from({f.dir});
  CHECK(reg.find("trust-probe") == nullptr);
  CHECK(reg.refused_untrusted());
  const std::string why = refusal_of(reg, f.module);
  CHECK_THAT(why, Catch::Contains(f.module.string() + ": mode 0666: others can write (fix: chmod go-w '" +
                                  f.module.string() + "')"));
  CHECK_THAT(why, Catch::Contains(f.dir.string() + ": mode 0777: others can write (fix: chmod go-w '" + f.dir.string() +
                                  "')"));
  CHECK_THAT(why, Catch::Contains("--allow-insecure-plugins"));
  CHECK(why.find('\n') == std::string::npos);
}

TEST_CASE("trust: an untrusted module is never opened", "[registry][trust]") {
  trust_folder f;
  const fs::path garbage = f.dir / "garbage.so";
  smharden::test::write_file(garbage, "not a module\n");
  fs::permissions(garbage, fs::perms(0646));
  plugin_registry reg;
  reg.load_from({f.dir});
  // Refused for who can write it, not for what is inside: it was not opened.
  CHECK_THAT(refusal_of(reg, garbage),
             Catch::Contains("mode 0646: others can write") && !Catch::Contains("not a loadable plugin module"));
  CHECK(reg.find("trust-probe") != nullptr);
}

TEST_CASE("trust: a writable folder above the plugin folder is refused, a sticky one like /tmp is not",
          "[registry][trust]") {
  trust_folder f;
  fs::permissions(f.tmp.path(), fs::perms(0777));
  plugin_registry refused;
  refused.load_from({f.dir});
  CHECK_THAT(refusal_of(refused, f.module), Catch::Contains(f.tmp.path().string() + ": mode 0777: others can write"));

  fs::permissions(f.tmp.path(), fs::perms(01777));
  plugin_registry loaded;
  loaded.load_from({f.dir});
  CHECK(loaded.refusals().empty());
  CHECK(loaded.find("trust-probe") != nullptr);
}

TEST_CASE("trust: a group-writable module is refused", "[registry][trust]") {
  trust_folder f;
  fs::permissions(f.module, fs::perms(0664));
  plugin_registry reg;
  reg.load_from({f.dir});
  CHECK_THAT(refusal_of(reg, f.module), Catch::Contains("mode 0664: members of group"));
}

TEST_CASE("trust: a symbolic link into a writable folder is refused", "[registry][trust]") {
  trust_folder f;
  const fs::path elsewhere = f.tmp.path() / "elsewhere";
  fs::create_directory(elsewhere);
  fs::permissions(elsewhere, fs::perms(0777));
  fs::rename(f.module, elsewhere / f.module.filename());
  fs::create_symlink(elsewhere / f.module.filename(), f.module);
  plugin_registry reg;
  reg.load_from({f.dir});
  CHECK_THAT(refusal_of(reg, f.module), Catch::Contains(elsewhere.string() + ": mode 0777"));
}

TEST_CASE("trust: --allow-insecure-plugins loads it and records why", "[registry][trust]") {
  trust_folder f;
  fs::permissions(f.dir, fs::perms(0777));
  plugin_trust_options trust;
  trust.allow_insecure = true;
  plugin_registry reg(trust);
  reg.load_from({f.dir});
  CHECK(reg.find("trust-probe") != nullptr);
  CHECK(reg.refusals().empty());
  REQUIRE(reg.insecure_loads().size() == 1);
  CHECK(reg.insecure_loads()[0].file == f.module);
  CHECK_THAT(reg.insecure_loads()[0].reason, Catch::Contains(f.dir.string() + ": mode 0777: others can write"));
}

TEST_CASE("trust: require_signed refuses what the verifier rejects and loads what it accepts", "[registry][trust]") {
  trust_folder f;
  auto unsigned_module = std::make_shared<fake_verifier>("not signed (TRUST_E_NOSIGNATURE)");
  plugin_trust_options trust;
  trust.require_signed = true;
  trust.verifier = unsigned_module;
  plugin_registry refused(trust);
  refused.load_from({f.dir});
  CHECK(refused.find("trust-probe") == nullptr);
  CHECK(refused.refused_untrusted());
  CHECK_THAT(refusal_of(refused, f.module), Catch::Contains("require_signed_plugins") &&
                                                Catch::Contains("not signed (TRUST_E_NOSIGNATURE)") &&
                                                Catch::Contains("signtool sign"));
  CHECK(unsigned_module->calls == 1);

  trust.verifier = std::make_shared<fake_verifier>("the signature does not match the file's contents");
  plugin_registry invalid(trust);
  invalid.load_from({f.dir});
  CHECK_THAT(refusal_of(invalid, f.module), Catch::Contains("does not match the file's contents"));

  trust.verifier = std::make_shared<fake_verifier>("");
  plugin_registry good(trust);
  good.load_from({f.dir});
  CHECK(good.find("trust-probe") != nullptr);

  // Not required: the verifier is not asked.
  auto never = std::make_shared<fake_verifier>("not signed");
  plugin_trust_options relaxed;
  relaxed.verifier = never;
  plugin_registry plain(relaxed);
  plain.load_from({f.dir});
  CHECK(plain.find("trust-probe") != nullptr);
  CHECK(never->calls == 0);
}

TEST_CASE("trust: without Windows, requiring signatures refuses every module", "[registry][trust]") {
  trust_folder f;
  plugin_trust_options trust;
  trust.require_signed = true;
  plugin_registry reg(trust);
  reg.load_from({f.dir});
  CHECK(reg.find("trust-probe") == nullptr);
  CHECK_THAT(refusal_of(reg, f.module), Catch::Contains("can only be verified on Windows"));
}
