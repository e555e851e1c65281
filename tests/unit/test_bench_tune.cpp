// framepipe bench --tune and --save-preset: which result is tuned, what the search reports, and
// the preset file's text, name and place.
#include "bench/save_preset.h"
#include "bench/tune.h"
#include "catch.h"
#include "error.h"
#include "preset.h"
#include "test_support.h"

using namespace framepipe;
using namespace framepipe::bench;
using framepipe::testing::read_file;
using framepipe::testing::TempDir;
using framepipe::testing::write_file;

namespace {

Preset preset_named(std::string name, std::string encoder, std::vector<std::string> args) {
    Preset p;
    p.name = std::move(name);
    p.description = p.name;
    p.encoder = std::move(encoder);
    p.args = std::move(args);
    p.containers = {"mp4"};
    return p;
}

PresetResult result_of(const Preset& p, std::uint64_t bytes, double ssim, double seconds = 1) {
    PresetResult r;
    r.preset = p.name;
    r.encoder = p.encoder;
    r.web = true;
    r.outcome = Outcome::encoded;
    r.frames = 300;
    r.fps_in = 60;
    r.seconds = seconds;
    r.bytes = bytes;
    r.quality = Quality{ssim, ssim, 40, 40, 300, "bt709 tv", std::nullopt, std::nullopt};
    return r;
}

} // namespace

TEST_CASE("bench --tune starts from the recommendation, else the smallest tunable near miss") {
    std::vector<Preset> presets{preset_named("ffv1", "ffv1", {}),
                                preset_named("x264-crf17", "libx264", {"-crf", "17"}),
                                preset_named("x264-crf23", "libx264", {"-crf", "23"}),
                                preset_named("x264-slow", "libx264", {"-crf", "30"})};
    std::vector<PresetResult> results{
        result_of(presets[0], 160'000'000, 1.0), result_of(presets[1], 13'000'000, 0.958),
        result_of(presets[2], 6'500'000, 0.918), result_of(presets[3], 1'000'000, 0.90, 10)};
    Constraints c;
    c.min_ssim = 0.95;
    c.min_speed = 1;
    // x264-crf17 is recommended (ffv1 is bigger): tune it.
    CHECK(tune_candidate(results, presets, c, 1) == std::optional<std::size_t>(1));
    // ffv1 recommended has no CRF: the smallest near miss that is fast enough, x264-crf23.
    CHECK(tune_candidate(results, presets, c, 0) == std::optional<std::size_t>(2));
    c.min_ssim = 0.99;
    CHECK(tune_candidate(results, presets, c, std::nullopt) == std::optional<std::size_t>(2));
    c.min_speed = 100;
    CHECK_FALSE(tune_candidate(results, presets, c, std::nullopt));
}

TEST_CASE("a tune's summary lists its probes in CRF order and says what it found") {
    TuneResult t;
    t.base = "x264-crf23";
    t.target = 0.95;
    t.outcome = TuneOutcome::found;
    t.base_crf = 23;
    Preset p = preset_named("x264-crf23", "libx264", {"-crf", "23"});
    t.probes = {{23, result_of(p, 6'540'000, 0.9415)},
                {17, result_of(p, 13'210'000, 0.969)},
                {21, result_of(p, 8'000'000, 0.9542)},
                {22, result_of(p, 7'200'000, 0.948)}};
    t.chosen = 2;
    CHECK(tune_summary(t) ==
          "Tuned x264-crf23 for --min-ssim 0.95: CRF 21 (the preset has 23), the largest CRF that "
          "meets it (4 probes):\n"
          "  CRF 17  SSIM 0.969000    13.21 MB   158.52 MB/min\n"
          "  CRF 21  SSIM 0.954200     8.00 MB    96.00 MB/min\n"
          "  CRF 22  SSIM 0.948000     7.20 MB    86.40 MB/min\n"
          "  CRF 23  SSIM 0.941500     6.54 MB    78.48 MB/min  (the preset's)\n");
    t.outcome = TuneOutcome::unreachable;
    t.target = 0.99999;
    t.chosen = 1;
    CHECK(tune_headline(t) == "--tune: x264-crf23 cannot reach --min-ssim 0.99999: even CRF 17, "
                              "its best quality, gives SSIM 0.969000");
    TuneResult none;
    none.reason = "no preset with a CRF to search";
    CHECK(tune_summary(none) == "--tune: no preset with a CRF to search\n");
    CHECK(tune_outcome_name(TuneOutcome::gave_up) == "gave_up");
}

TEST_CASE("a preset file written by format_preset loads back as the same preset") {
    Preset p = preset_named("plots", "libx264", {"-preset", "ultrafast", "-crf", "20"});
    p.description = "x264-crf17 at CRF 20: tuned";
    p.pix_fmt = "yuv420p";
    p.containers = {"mp4", "mkv"};
    p.filters = {"hqdn3d"};
    p.warning = "careful";
    auto text = format_preset(p, "Saved by framepipe bench");
    CHECK_THAT(text, Catch::StartsWith("{\n  \"name\": \"plots\",\n  \"description\": "
                                       "\"x264-crf17 at CRF 20: tuned\",\n  \"comment\": "
                                       "\"Saved by framepipe bench\",\n  \"encoder\": "
                                       "\"libx264\",\n"));
    auto source = parse_preset_source(text, "plots.json", "plots");
    auto back = resolve_preset(source, [](std::string_view) { return nullptr; });
    CHECK(back.name == p.name);
    CHECK(back.description == p.description);
    CHECK(back.encoder == p.encoder);
    CHECK(back.args == p.args);
    CHECK(back.filters == p.filters);
    CHECK(back.pix_fmt == p.pix_fmt);
    CHECK(back.color_range == p.color_range);
    CHECK(back.containers == p.containers);
    CHECK(back.warning == p.warning);
    CHECK(back.hardware == Hardware::none);
    CHECK_FALSE(back.fallback);
    // Without a comment there is no comment field; a hardware preset keeps its family.
    p.hardware = Hardware::nvenc;
    p.fallback = "x264-crf17";
    auto hw = format_preset(p);
    CHECK(hw.find("\"comment\"") == std::string::npos);
    auto hw_back = resolve_preset(parse_preset_source(hw, "plots.json"),
                                  [](std::string_view) { return nullptr; });
    CHECK(hw_back.hardware == Hardware::nvenc);
    CHECK(hw_back.fallback == std::optional<std::string>("x264-crf17"));
}

namespace {

struct PresetDirs {
    TempDir root;
    std::filesystem::path early = root / "early";
    std::filesystem::path user = root / "config" / "framepipe" / "presets";
    std::filesystem::path builtin = root / "builtin";
    PresetSearchPath search{std::nullopt, {{early, false}, {user, false}, {builtin, true}}};

    PresetDirs() {
        std::filesystem::create_directories(early);
        std::filesystem::create_directories(builtin);
        write_file(builtin / "x264-crf17.json",
                   format_preset(preset_named("x264-crf17", "libx264", {"-crf", "17"})));
    }
};

std::string save_error(const std::string& name, const PresetDirs& d, bool overwrite,
                       ExitCode expected) {
    try {
        plan_save(name, d.search, d.user, overwrite);
    } catch (const Error& e) {
        CHECK(e.code() == expected);
        return e.what();
    }
    FAIL("plan_save accepted " << name);
    return {};
}

} // namespace

TEST_CASE("bench --save-preset names a user preset in the user's directory, or says why not") {
    PresetDirs d;
    auto target = plan_save("plots", d.search, d.user, false);
    CHECK(target.file == d.user / "plots.json");
    CHECK_FALSE(target.replaces);

    CHECK(save_error("../plots", d, false, ExitCode::usage) ==
          "invalid --save-preset name '../plots': a preset name is a file name of letters, "
          "digits, '.', '_' and '-', not starting with '.', at most 64 characters");
    CHECK(save_error(".hidden", d, false, ExitCode::usage).starts_with("invalid --save-preset"));
    CHECK(save_error(std::string(65, 'a'), d, false, ExitCode::usage)
              .starts_with("invalid --save-preset"));
    try {
        plan_save("plots", d.search, std::nullopt, false);
        FAIL("no user directory accepted");
    } catch (const Error& e) {
        CHECK(std::string(e.what()) == "cannot tell where user presets go for --save-preset: set "
                                       "HOME, or XDG_CONFIG_HOME to an absolute path");
    }
    // A built-in name would be hidden: only with -y.
    CHECK(save_error("x264-crf17", d, false, ExitCode::output) ==
          "'x264-crf17' is a built-in preset: a user preset of that name would replace it in "
          "every framepipe run; give -y (--overwrite) to do that, or choose another name");
    CHECK(plan_save("x264-crf17", d.search, d.user, true).file == d.user / "x264-crf17.json");
    // A directory searched first (FRAMEPIPE_PRESET_PATH) would hide the saved one: never.
    write_file(d.early / "mine.json", "{}");
    CHECK(save_error("mine", d, true, ExitCode::output) ==
          "a preset 'mine' already exists in '" + (d.early / "mine.json").string() +
              "' (FRAMEPIPE_PRESET_PATH), which is searched before '" + d.user.string() +
              "': a preset saved there would never be used; choose another name");
}

TEST_CASE("bench --save-preset writes a preset that loads by name, and replaces one only with -y") {
    PresetDirs d;
    const Preset tuned = preset_named("x264-crf17-crf20", "libx264", {"-crf", "20"});
    auto target = plan_save("plots", d.search, d.user, false);
    save_preset(target, tuned, "from a test", d.search, false);
    const auto text = read_file(d.user / "plots.json");
    CHECK_THAT(text, Catch::Contains("\"name\": \"plots\""));
    CHECK_THAT(text, Catch::Contains("\"comment\": \"from a test\""));
    PresetCatalog catalog(d.search);
    auto loaded = catalog.load("plots");
    CHECK(loaded.args == tuned.args);
    CHECK(loaded.origin == (d.user / "plots.json").string());
    // No temporary file left beside it.
    CHECK(std::distance(std::filesystem::directory_iterator(d.user),
                        std::filesystem::directory_iterator()) == 1);

    CHECK(save_error("plots", d, false, ExitCode::output) ==
          "the user preset 'plots' exists ('" + (d.user / "plots.json").string() +
              "'): give -y (--overwrite) to replace it, or choose another name");
    // Taken between the check and the write (another bench): refused, not replaced.
    try {
        save_preset(target, tuned, "", d.search, false);
        FAIL("replaced without -y");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::output);
        CHECK_THAT(std::string(e.what()), Catch::Contains("appeared while the bench ran"));
    }
    CHECK_THAT(read_file(d.user / "plots.json"), Catch::Contains("from a test"));
    auto again = plan_save("plots", d.search, d.user, true);
    CHECK(again.replaces);
    Preset other = tuned;
    other.args = {"-crf", "25"};
    save_preset(again, other, "second", d.search, true);
    CHECK(PresetCatalog(d.search).load("plots").args == other.args);
}

TEST_CASE("the user's preset directory follows XDG_CONFIG_HOME, else HOME") {
    CHECK(user_preset_directory("/xdg", "/home/u") ==
          std::optional<std::filesystem::path>("/xdg/framepipe/presets"));
    CHECK(user_preset_directory("relative", "/home/u") ==
          std::optional<std::filesystem::path>("/home/u/.config/framepipe/presets"));
    CHECK(user_preset_directory(nullptr, "/home/u") ==
          std::optional<std::filesystem::path>("/home/u/.config/framepipe/presets"));
    CHECK_FALSE(user_preset_directory(nullptr, nullptr));
    CHECK_FALSE(user_preset_directory("", ""));
}
