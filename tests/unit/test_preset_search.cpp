// The preset search path: where user presets are looked for, and in which order.
#include "preset_catalog.h"

#include "catch.h"

using namespace framepipe;

TEST_CASE("search order: preset file, FRAMEPIPE_PRESET_PATH, XDG config, built-in") {
    auto s = standard_preset_search_path(std::filesystem::path("my.json"), "/a:/b::/c", "/xdg",
                                         "/home/u", "/usr/share/framepipe/presets");
    REQUIRE(s.preset_file);
    CHECK(*s.preset_file == "my.json");
    REQUIRE(s.directories.size() == 5);
    CHECK(s.directories[0].path == "/a");
    CHECK(s.directories[1].path == "/b");
    CHECK(s.directories[2].path == "/c"); // empty entries are skipped
    CHECK(s.directories[3].path == "/xdg/framepipe/presets");
    CHECK(s.directories[4].path == "/usr/share/framepipe/presets");
    CHECK(s.directories[4].builtin);
    CHECK_FALSE(s.directories[3].builtin);
}

TEST_CASE("without XDG_CONFIG_HOME the user's presets are in ~/.config") {
    auto s = standard_preset_search_path(std::nullopt, nullptr, nullptr, "/home/u", "/builtin");
    REQUIRE(s.directories.size() == 2);
    CHECK(s.directories[0].path == "/home/u/.config/framepipe/presets");
    // A relative XDG_CONFIG_HOME is invalid by the XDG spec and ignored.
    auto rel =
        standard_preset_search_path(std::nullopt, nullptr, "relative", "/home/u", "/builtin");
    CHECK(rel.directories[0].path == "/home/u/.config/framepipe/presets");
    auto none = standard_preset_search_path(std::nullopt, nullptr, nullptr, nullptr, "/builtin");
    REQUIRE(none.directories.size() == 1);
    CHECK(none.directories[0].builtin);
}
