// Preset parsing, validation messages and `extends` resolution.
#include "error.h"
#include "preset.h"

#include "catch.h"
#include <map>

using namespace framepipe;

namespace {

struct Presets {
    std::map<std::string, PresetSource, std::less<>> sources;
    void add(const std::string& name, const std::string& text) {
        sources.emplace(name, parse_preset_source(text, name + ".json", name));
    }
    Preset resolve(const std::string& name) {
        return resolve_preset(sources.at(name), [this](std::string_view n) -> const PresetSource* {
            auto it = sources.find(n);
            return it == sources.end() ? nullptr : &it->second;
        });
    }
};

const char* kBase = R"({"name": "base", "description": "d", "encoder": "libx264",
                        "args": ["-crf", "17"], "containers": ["mp4"]})";

} // namespace

TEST_CASE("a complete preset parses with defaults filled in") {
    Presets p;
    p.add("base", kBase);
    auto preset = p.resolve("base");
    CHECK(preset.encoder == "libx264");
    CHECK(preset.args == std::vector<std::string>{"-crf", "17"});
    CHECK(preset.pix_fmt == "yuv420p");
    CHECK(preset.color_range == "tv");
    CHECK(preset.hardware == Hardware::none);
    CHECK(!preset.fallback);
    CHECK(preset.origin == "base.json");
}

TEST_CASE("JSON syntax errors name the file, line and column") {
    CHECK_THROWS_WITH(parse_preset_source("{\n  \"name\": \"x\",\n  }\n", "p/x.json"),
                      "p/x.json:3:3: invalid JSON: unexpected '}'; expected string literal");
    CHECK_THROWS_WITH(parse_preset_source("", "p/x.json"),
                      Catch::StartsWith("p/x.json:1:1: invalid JSON: "));
    // Found by the preset fuzz target: nlohmann reports a number too large for a double as
    // out_of_range, not parse_error, and it escaped as an internal error.
    CHECK_THROWS_WITH(parse_preset_source("{\"name\": 8888e88888}", "p/x.json"),
                      "p/x.json: invalid JSON: number overflow parsing '8888e88888'");
    try {
        parse_preset_source("[", "p/x.json");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::preset);
    }
}

TEST_CASE("unknown and mistyped fields are named") {
    CHECK_THROWS_WITH(
        parse_preset_source(R"({"name": "x", "encodr": "libx264"})", "x.json"),
        Catch::StartsWith(
            "x.json: unknown field 'encodr' (did you mean 'encoder'?); known fields are name,"));
    CHECK_THROWS_WITH(parse_preset_source(R"({"name": "x", "args": "-crf 17"})", "x.json"),
                      "x.json: field 'args' must be an array of strings, not a string");
    CHECK_THROWS_WITH(parse_preset_source(R"({"name": "x", "args": ["-crf", 17]})", "x.json"),
                      "x.json: field 'args' must be an array of strings, but holds a number");
    CHECK_THROWS_WITH(parse_preset_source(R"({"name": "x", "hardware": "cuda"})", "x.json"),
                      "x.json: field 'hardware' is 'cuda': use none, nvenc, qsv, amf or vaapi");
    CHECK_THROWS_WITH(parse_preset_source(R"({"name": "x", "color_range": "full"})", "x.json"),
                      Catch::StartsWith("x.json: field 'color_range' is 'full': use tv"));
    CHECK_THROWS_WITH(parse_preset_source(R"({"name": "x", "encoder": ""})", "x.json"),
                      "x.json: field 'encoder' is empty: give a name or leave the field out");
    CHECK_THROWS_WITH(parse_preset_source(R"({"name": "x", "pix_fmt": ""})", "x.json"),
                      "x.json: field 'pix_fmt' is empty: give a name or leave the field out");
    CHECK_THROWS_WITH(parse_preset_source(R"({"name": "x", "filters": ["hqdn3d", ""]})", "x.json"),
                      "x.json: field 'filters' holds an empty string");
    CHECK_THROWS_WITH(parse_preset_source(R"({"name": "x", "containers": [""]})", "x.json"),
                      "x.json: field 'containers' holds an empty string");
    CHECK_THROWS_WITH(parse_preset_source(R"({"name": "x", "containers": [".mp4"]})", "x.json"),
                      "x.json: field 'containers' lists '.mp4': give extensions without the dot, "
                      "such as \"mp4\"");
    CHECK_THROWS_WITH(parse_preset_source(R"(["x"])", "x.json"),
                      "x.json: a preset must be a JSON object ({...}), not an array");
    CHECK_THROWS_WITH(parse_preset_source(R"({"description": "x"})", "x.json"),
                      "x.json: the field 'name' is missing");
}

TEST_CASE("a file must define the preset it is named for") {
    CHECK_THROWS_WITH(parse_preset_source(kBase, "fast.json", "fast"),
                      "fast.json: the file defines preset 'base' but is named for 'fast': rename "
                      "one to match the other");
    CHECK_THROWS_WITH(parse_preset_source(R"({"name": "../x"})", "x.json"),
                      "x.json: preset name '../x' may use only letters, digits, '.', '_' and '-'");
}

TEST_CASE("extends inherits and overrides whole fields") {
    Presets p;
    p.add("base", kBase);
    p.add(
        "child",
        R"({"name": "child", "extends": "base", "args": ["-crf", "23"], "description": "smaller"})");
    auto c = p.resolve("child");
    CHECK(c.name == "child");
    CHECK(c.encoder == "libx264");
    CHECK(c.args == std::vector<std::string>{"-crf", "23"});
    CHECK(c.description == "smaller");
    CHECK(c.containers == std::vector<std::string>{"mp4"});
}

TEST_CASE("extends cycles and missing parents are caught") {
    Presets p;
    p.add("a", R"({"name": "a", "extends": "b"})");
    p.add("b", R"({"name": "b", "extends": "a"})");
    CHECK_THROWS_WITH(p.resolve("a"),
                      "a.json: 'extends' makes a cycle: 'a' extends 'b' extends 'a'");
    p.add("orphan", R"({"name": "orphan", "extends": "nowhere"})");
    CHECK_THROWS_WITH(p.resolve("orphan"), "orphan.json: extends 'nowhere', which is not a known "
                                           "preset (see framepipe --list-presets)");
}

TEST_CASE("required fields must be present after extends") {
    Presets p;
    p.add("bare", R"({"name": "bare", "description": "d", "containers": ["mp4"]})");
    CHECK_THROWS_WITH(p.resolve("bare"), "bare.json: the field 'encoder' is missing (set it here "
                                         "or in the preset this one extends)");
}

TEST_CASE("preset names are names, not paths") {
    CHECK(is_valid_preset_name("x264-crf17"));
    CHECK(is_valid_preset_name("nvenc-8M"));
    CHECK_FALSE(is_valid_preset_name("../etc/passwd"));
    CHECK_FALSE(is_valid_preset_name("a/b"));
    CHECK_FALSE(is_valid_preset_name(".hidden"));
    CHECK_FALSE(is_valid_preset_name(""));
}
