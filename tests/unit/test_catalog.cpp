// Every built-in preset, loaded the way framepipe loads it and pinned to its exact ffmpeg argv. A
// preset is ffmpeg knowledge written down; these vectors are where a change to it shows up in
// review. Also: the catalogue's own consistency, and the parsing of `ffmpeg -encoders`.
#include "child_process.h"
#include "error.h"
#include "ffmpeg_args.h"
#include "ffmpeg_encoders.h"
#include "options.h"
#include "preset_catalog.h"

#include "catch.h"
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <set>
#include <unistd.h>

using namespace framepipe;
namespace fs = std::filesystem;

namespace {

using Args = std::vector<std::string>;

Args join(std::initializer_list<Args> parts) {
    Args out;
    for (const auto& p : parts)
        out.insert(out.end(), p.begin(), p.end());
    return out;
}

const fs::path kPresetDir = fs::path(FRAMEPIPE_SOURCE_DIR) / "presets";

PresetCatalog builtin_catalog() {
    return PresetCatalog({std::nullopt, {{kPresetDir, true}}});
}

// The job every golden vector describes: 720p60 RGBA from stdin into out.<first container>.
FfmpegJob job_for(const Preset& preset, const std::string& output) {
    FfmpegJob job;
    job.input = raw_frames({1280, 720}, &parse_pixel_format("rgba"), {60, 1});
    job.preset = preset;
    job.output = output;
    job.container = &container_for(output);
    return job;
}

const Args kHead{"-nostdin", "-loglevel", "level+info", "-nostats", "-n"};
const Args kInput{"-f", "rawvideo", "-pix_fmt", "rgba", "-s", "1280x720", "-r", "60", "-i", "-"};
const Args kTags{"-color_primaries", "bt709", "-color_trc",   "bt709",
                 "-colorspace",      "bt709", "-color_range", "tv"};
const Args kProbeHead{"-hide_banner", "-nostdin", "-loglevel", "error"};
const Args kProbeInput{"-f",        "lavfi", "-i", "color=c=gray:s=1280x720:r=60,format=rgba",
                       "-frames:v", "1"};
const Args kNullOutput{"-f", "null", "-"};

struct Golden {
    std::string name;
    std::string output;
    Args argv;
    Args probe; // hardware presets only: the test encode run before any input is read
};

// clang-format off
const std::vector<Golden> kGolden{
    {"amf-8M", "out.mp4",
     join({kHead, kInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=nv12,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "h264_amf", "-usage", "transcoding", "-quality", "balanced", "-rc", "vbr_peak", "-b:v", "8M", "-maxrate", "12M", "-bufsize", "16M", "-pix_fmt", "nv12"}, kTags, {"-movflags", "+faststart", "-f", "mp4", "file:out.mp4"}}),
     join({kProbeHead, kProbeInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=nv12,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "h264_amf", "-usage", "transcoding", "-quality", "balanced", "-rc", "vbr_peak", "-b:v", "8M", "-maxrate", "12M", "-bufsize", "16M", "-pix_fmt", "nv12"}, kTags, kNullOutput})},
    {"av1", "out.mp4",
     join({kHead, kInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv420p,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "libsvtav1", "-preset", "10", "-crf", "35", "-pix_fmt", "yuv420p"}, kTags, {"-movflags", "+faststart", "-f", "mp4", "file:out.mp4"}}), {}},
    {"ffv1", "out.mkv",
     join({kHead, kInput, {"-c:v", "ffv1", "-level", "3", "-g", "1", "-slices", "4", "-slicecrc", "1", "-pix_fmt", "bgr0"}, {"-f", "matroska", "file:out.mkv"}}), {}},
    {"gif", "out.gif",
     join({kHead, kInput, {"-vf", "split[fp_a][fp_b];[fp_a]palettegen=stats_mode=single[fp_p];[fp_b][fp_p]paletteuse=new=1", "-c:v", "gif"}, {"-f", "gif", "file:out.gif"}}), {}},
    {"hevc-nvenc", "out.mp4",
     join({kHead, kInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv420p,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "hevc_nvenc", "-preset", "p4", "-tune", "hq", "-rc", "vbr", "-b:v", "8M", "-maxrate", "12M", "-bufsize", "16M", "-tag:v", "hvc1", "-pix_fmt", "yuv420p"}, kTags, {"-movflags", "+faststart", "-f", "mp4", "file:out.mp4"}}),
     join({kProbeHead, kProbeInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv420p,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "hevc_nvenc", "-preset", "p4", "-tune", "hq", "-rc", "vbr", "-b:v", "8M", "-maxrate", "12M", "-bufsize", "16M", "-tag:v", "hvc1", "-pix_fmt", "yuv420p"}, kTags, kNullOutput})},
    {"nvenc-8M", "out.mp4",
     join({kHead, kInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv420p,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "h264_nvenc", "-preset", "p4", "-tune", "hq", "-rc", "vbr", "-b:v", "8M", "-maxrate", "12M", "-bufsize", "16M", "-pix_fmt", "yuv420p"}, kTags, {"-movflags", "+faststart", "-f", "mp4", "file:out.mp4"}}),
     join({kProbeHead, kProbeInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv420p,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "h264_nvenc", "-preset", "p4", "-tune", "hq", "-rc", "vbr", "-b:v", "8M", "-maxrate", "12M", "-bufsize", "16M", "-pix_fmt", "yuv420p"}, kTags, kNullOutput})},
    {"prores", "out.mov",
     join({kHead, kInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv422p10le,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "prores_ks", "-profile:v", "3", "-pix_fmt", "yuv422p10le"}, kTags, {"-movflags", "+faststart", "-f", "mov", "file:out.mov"}}), {}},
    {"qsv", "out.mp4",
     join({kHead, kInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=nv12,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "h264_qsv", "-preset", "veryfast", "-global_quality", "20", "-pix_fmt", "nv12"}, kTags, {"-movflags", "+faststart", "-f", "mp4", "file:out.mp4"}}),
     join({kProbeHead, kProbeInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=nv12,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "h264_qsv", "-preset", "veryfast", "-global_quality", "20", "-pix_fmt", "nv12"}, kTags, kNullOutput})},
    {"vaapi", "out.mp4",
     join({kHead, {"-vaapi_device", "/dev/dri/renderD128"}, kInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=nv12,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv,hwupload", "-c:v", "h264_vaapi", "-rc_mode", "VBR", "-b:v", "8M", "-maxrate", "12M"}, kTags, {"-movflags", "+faststart", "-f", "mp4", "file:out.mp4"}}),
     join({kProbeHead, {"-vaapi_device", "/dev/dri/renderD128"}, kProbeInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=nv12,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv,hwupload", "-c:v", "h264_vaapi", "-rc_mode", "VBR", "-b:v", "8M", "-maxrate", "12M"}, kTags, kNullOutput})},
    {"vp8", "out.webm",
     join({kHead, kInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv420p,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-crf", "10", "-b:v", "12M", "-auto-alt-ref", "0", "-pix_fmt", "yuv420p"}, kTags, {"-f", "webm", "file:out.webm"}}), {}},
    {"vp9", "out.webm",
     join({kHead, kInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv420p,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "32", "-deadline", "realtime", "-cpu-used", "8", "-row-mt", "1", "-pix_fmt", "yuv420p"}, kTags, {"-f", "webm", "file:out.webm"}}), {}},
    {"x264-444", "out.mp4",
     join({kHead, kInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv444p,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "libx264", "-preset", "superfast", "-crf", "17", "-pix_fmt", "yuv444p"}, kTags, {"-movflags", "+faststart", "-f", "mp4", "file:out.mp4"}}), {}},
    {"x264-crf17", "out.mp4",
     join({kHead, kInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv420p,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "17", "-pix_fmt", "yuv420p"}, kTags, {"-movflags", "+faststart", "-f", "mp4", "file:out.mp4"}}), {}},
    {"x264-crf23", "out.mp4",
     join({kHead, kInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv420p,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "23", "-pix_fmt", "yuv420p"}, kTags, {"-movflags", "+faststart", "-f", "mp4", "file:out.mp4"}}), {}},
    {"x264-lossless", "out.mp4",
     join({kHead, kInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv444p,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "0", "-pix_fmt", "yuv444p"}, kTags, {"-movflags", "+faststart", "-f", "mp4", "file:out.mp4"}}), {}},
    {"x264-small", "out.mp4",
     join({kHead, kInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv420p,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p"}, kTags, {"-movflags", "+faststart", "-f", "mp4", "file:out.mp4"}}), {}},
    {"x264-superfast-crf17", "out.mp4",
     join({kHead, kInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv420p,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "libx264", "-preset", "superfast", "-crf", "17", "-pix_fmt", "yuv420p"}, kTags, {"-movflags", "+faststart", "-f", "mp4", "file:out.mp4"}}), {}},
    {"x265-crf28", "out.mp4",
     join({kHead, kInput, {"-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv420p,setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv", "-c:v", "libx265", "-preset", "ultrafast", "-crf", "28", "-tag:v", "hvc1", "-x265-params", "log-level=warning", "-pix_fmt", "yuv420p"}, kTags, {"-movflags", "+faststart", "-f", "mp4", "file:out.mp4"}}), {}},
};
// clang-format on

const Golden* golden_for(const std::string& name) {
    auto it = std::find_if(kGolden.begin(), kGolden.end(),
                           [&](const Golden& g) { return g.name == name; });
    return it == kGolden.end() ? nullptr : &*it;
}

} // namespace

TEST_CASE("every preset file has a golden argv, and every golden a file") {
    std::set<std::string> files, golden;
    for (const auto& entry : fs::directory_iterator(kPresetDir))
        if (entry.path().extension() == ".json")
            files.insert(entry.path().stem().string());
    for (const auto& g : kGolden)
        golden.insert(g.name);
    CHECK(files == golden);
}

TEST_CASE("golden argv for every built-in preset") {
    auto catalog = builtin_catalog();
    auto entries = catalog.list();
    REQUIRE(entries.size() == kGolden.size());
    for (const auto& e : entries) {
        INFO("preset " << e.name);
        REQUIRE(e.error == "");
        REQUIRE(e.preset);
        const Golden* g = golden_for(e.name);
        REQUIRE(g != nullptr);
        // The golden output is the preset's first container, so this also pins that order.
        CHECK("out." + e.preset->containers.front() == g->output);
        auto job = job_for(*e.preset, g->output);
        CHECK(build_ffmpeg_args(job) == g->argv);
        if (e.preset->hardware != Hardware::none)
            CHECK(build_encoder_probe_args(job) == g->probe);
        else
            CHECK(g->probe.empty());
    }
}

TEST_CASE("the catalogue is consistent: fallbacks, hardware families, containers") {
    auto catalog = builtin_catalog();
    for (const auto& e : catalog.list()) {
        INFO("preset " << e.name);
        REQUIRE(e.preset);
        const Preset& p = *e.preset;
        CHECK(p.origin == (kPresetDir / (e.name + ".json")).string());
        CHECK(!p.description.empty());
        for (const auto& ext : p.containers)
            CHECK_NOTHROW(container_for("x." + ext));
        if (p.hardware == Hardware::none) {
            CHECK(!p.fallback);
            continue;
        }
        // A hardware preset must land on something that runs anywhere, in one step.
        REQUIRE(p.fallback);
        CHECK(*p.fallback == "x264-crf17");
        auto fallback = catalog.load(*p.fallback);
        CHECK(fallback.hardware == Hardware::none);
        for (const auto& ext : p.containers)
            CHECK(std::find(fallback.containers.begin(), fallback.containers.end(), ext) !=
                  fallback.containers.end());
    }
    // Presets that browsers refuse say so whenever they are used.
    for (const char* name : {"x264-444", "x264-lossless", "gif"})
        CHECK_FALSE(catalog.load(name).warning.empty());
    CHECK(catalog.load("x264-superfast-crf17").warning.empty());
}

TEST_CASE("the default preset exists and is browser-safe H.264") {
    auto catalog = builtin_catalog();
    auto p = catalog.load(kDefaultPreset);
    CHECK(p.encoder == "libx264");
    CHECK(p.pix_fmt == "yuv420p");
    CHECK(p.color_range == "tv");
    CHECK(p.hardware == Hardware::none);
}

TEST_CASE("catalogue errors name the problem and what to do") {
    auto catalog = builtin_catalog();
    CHECK_THROWS_WITH(
        catalog.load("nope"),
        Catch::StartsWith("unknown preset 'nope': known presets are amf-8M, av1, ffv1, gif,") &&
            Catch::EndsWith("; see framepipe --list-presets"));
    CHECK_THROWS_WITH(
        catalog.load("presets/x264-crf17.json"),
        "invalid preset name 'presets/x264-crf17.json': a preset is named, not given as a path "
        "(letters, digits, '.', '_', '-'); use --preset-file FILE for a preset file elsewhere");
    try {
        catalog.load("nope");
        FAIL("no error");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::usage);
    }

    PresetCatalog missing_file({fs::path("/nonexistent/mine.json"), {{kPresetDir, true}}});
    CHECK_THROWS_WITH(
        missing_file.preset_file_name(),
        "cannot read preset file '/nonexistent/mine.json': No such file or directory; check the "
        "path and its permissions");
}

TEST_CASE("a preset file can extend a built-in preset") {
    auto dir = fs::temp_directory_path() / ("framepipe-test-catalog-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    auto file = dir / "mine.json";
    std::ofstream(file)
        << R"({"name": "mine", "extends": "x264-small", "args": ["-preset", "veryfast", "-crf", "28"]})";
    PresetCatalog catalog({file, {{dir, false}, {kPresetDir, true}}});
    REQUIRE(catalog.preset_file_name() == "mine");
    auto p = catalog.load("mine");
    CHECK(p.encoder == "libx264");
    CHECK(p.args == Args{"-preset", "veryfast", "-crf", "28"});
    CHECK(p.origin == file.string());
    fs::remove_all(dir);
}

TEST_CASE("preset rules beyond syntax have exact messages") {
    auto source = [](const char* text) { return parse_preset_source(text, "p.json"); };
    auto none = [](std::string_view) -> const PresetSource* { return nullptr; };
    CHECK_THROWS_WITH(
        resolve_preset(
            source(R"({"name": "p", "description": "d", "encoder": "e", "containers": []})"), none),
        "p.json: the field 'containers' is empty: list the extensions it can write, e.g. "
        "[\"mp4\"]");
    CHECK_THROWS_WITH(resolve_preset(source(R"({"name": "p", "description": "d", "encoder": "e",
                                                "containers": ["mp4"], "fallback": "p"})"),
                                     none),
                      "p.json: preset 'p' names itself as its fallback");
    CHECK_THROWS_WITH(source(R"({"name": "p", "hardware": 1})"),
                      "p.json: field 'hardware' must be a string, not a number");
    CHECK_THROWS_WITH(
        source(R"({"name": "p", "pixfmt": "yuv420p"})"),
        Catch::StartsWith("p.json: unknown field 'pixfmt' (did you mean 'pix_fmt'?)"));
}

TEST_CASE("ffmpeg -encoders output is parsed into encoder names") {
    const char* text = "Encoders:\n"
                       " V..... = Video\n"
                       " A..... = Audio\n"
                       " S..... = Subtitle\n"
                       " .F.... = Frame-level multithreading\n"
                       " ..S... = Slice-level multithreading\n"
                       " ...X.. = Codec is experimental\n"
                       " ....B. = Supports draw_horiz_band\n"
                       " .....D = Supports direct rendering method 1\n"
                       " ------\n"
                       " V....D libx264              libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 "
                       "part 10 (codec h264)\n"
                       " VFS... prores_ks            Apple ProRes (iCodec Pro) (codec prores)\n"
                       " V..... h264_qsv             H.264 / AVC (Intel Quick Sync Video "
                       "acceleration) (codec h264)\n"
                       " A....D aac                  AAC (Advanced Audio Coding)\n"
                       " V....D libvpx-vp9           libvpx VP9 (codec vp9)\r\n";
    auto names = parse_encoder_list(text);
    REQUIRE(names);
    CHECK(*names == EncoderSet{"aac", "h264_qsv", "libvpx-vp9", "libx264", "prores_ks"});
    // The legend's " V..... = Video" has the same shape as an entry: it must not become "=".
    CHECK_FALSE(names->contains("="));
}

TEST_CASE("text that is not an encoder list is not mistaken for an empty one") {
    CHECK_FALSE(parse_encoder_list(""));
    CHECK_FALSE(parse_encoder_list("ffmpeg version 5.1.9-fake\n"));
    CHECK_FALSE(parse_encoder_list(" V....D libx264   libx264 H.264\n"));
    auto empty = parse_encoder_list("Encoders:\n ------\n");
    REQUIRE(empty);
    CHECK(empty->empty());
}

TEST_CASE("the real ffmpeg lists its encoders, and a fake one is not believed") {
    auto real = find_program("ffmpeg");
    if (!real.empty()) {
        auto listing = list_ffmpeg_encoders(real);
        REQUIRE(listing.encoders);
        CHECK(listing.encoders->contains("libx264"));
        CHECK(listing.interrupted_by == 0);
    }
    // The fake ffmpeg prints only a banner, so framepipe must not conclude it has no encoders.
    CHECK_FALSE(list_ffmpeg_encoders(FAKE_FFMPEG).encoders);
    CHECK_FALSE(list_ffmpeg_encoders("/nonexistent/ffmpeg").encoders);
}
