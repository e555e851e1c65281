// The pure parts of `framepipe bench`: units, the ffmpeg filters' output, colour tags, the
// table, constraints and the recommendation, preset selection.
#include "bench/bench.h"
#include "bench/cache.h"
#include "bench/measure.h"
#include "bench/quality.h"
#include "bench/recommend.h"
#include "bench/report_json.h"
#include "bench/run_preset.h"
#include "bench/table.h"
#include "bench/units.h"
#include "bench/web.h"
#include "catch.h"
#include "error.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

using namespace framepipe;
using namespace framepipe::bench;

TEST_CASE("bench sizes are decimal unless they say iB") {
    CHECK(parse_byte_size("96MB") == 96000000);
    CHECK(parse_byte_size("1.5GB") == 1500000000);
    CHECK(parse_byte_size("800kB") == 800000);
    CHECK(parse_byte_size("100MiB") == 104857600);
    CHECK(parse_byte_size("4096") == 4096);
    for (const char* bad : {"", "MB", "-5MB", "12XB", "0", "1e30GB", "nanMB"}) {
        try {
            parse_byte_size(bad);
            FAIL("accepted " << bad);
        } catch (const Error& e) {
            CHECK(e.code() == ExitCode::usage);
        }
    }
    try {
        parse_byte_size("12XB");
    } catch (const Error& e) {
        CHECK(std::string(e.what()) ==
              "invalid size '12XB': write a positive number with a unit, e.g. 96MB, 1.5GB, 800kB "
              "or 100MiB");
    }
}

TEST_CASE("bench speeds are times real time") {
    CHECK(parse_speed("1x") == 1.0);
    CHECK(parse_speed("0.5x") == 0.5);
    CHECK(parse_speed("2") == 2.0);
    CHECK_THROWS_AS(parse_speed("0x"), Error);
    CHECK_THROWS_AS(parse_speed("fast"), Error);
    CHECK_THROWS_AS(parse_speed("1xx"), Error);
}

TEST_CASE("bench --min-ssim is a number above 0 and at most 1") {
    CHECK(parse_min_ssim("0.98") == 0.98);
    CHECK(parse_min_ssim("1") == 1.0);
    for (const char* bad : {"", "0", "1.01", "-0.5", "0.9x", "nan", "inf"})
        CHECK_THROWS_AS(parse_min_ssim(bad), Error);
    try {
        parse_min_ssim("98%");
        FAIL("accepted");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::usage);
        CHECK(std::string(e.what()) ==
              "invalid --min-ssim '98%': give a number above 0 and at most 1, e.g. 0.98");
    }
}

TEST_CASE("ssim and psnr summaries as ffmpeg 5.1 and 7.1 print them") {
    auto ssim =
        parse_ssim_all("[Parsed_ssim_8 @ 0x557c471619c0] SSIM R:0.679389 (4.940220) "
                       "G:0.877543 (9.120178) B:0.688491 (5.065294) All:0.748475 (5.994181)");
    REQUIRE(ssim);
    CHECK(*ssim == Approx(0.748475));
    auto psnr = parse_psnr_summary("[Parsed_psnr_9 @ 0x557c47162900] PSNR r:24.856901 g:33.419780 "
                                   "b:26.830991 average:27.138685 min:26.862313 max:27.580807");
    REQUIRE(psnr);
    CHECK(psnr->average == Approx(27.138685));
    CHECK(psnr->min == Approx(26.862313));
    auto identical = parse_psnr_summary(
        "[Parsed_psnr_9 @ 0x1] PSNR r:inf g:inf b:inf average:inf min:inf max:inf");
    REQUIRE(identical);
    CHECK(std::isinf(identical->average));
    CHECK(std::isinf(identical->min));
    CHECK_FALSE(parse_ssim_all("frame=  300 fps=0.0 q=-0.0 size=N/A"));
    // NaN meets no constraint and misses none, which --tune's search cannot bracket.
    CHECK_FALSE(parse_ssim_all("[Parsed_ssim_8 @ 0x1] SSIM R:nan (nan) All:nan (nan)"));
    CHECK_FALSE(parse_psnr_summary("[Parsed_psnr_9 @ 0x1] PSNR average:nan min:nan max:nan"));
    CHECK_FALSE(parse_psnr_summary("[Parsed_ssim_8 @ 0x1] SSIM All:0.9 (10)"));
}

TEST_CASE("the ssim stats file gives the worst frame and the count") {
    auto f = parse_ssim_stats("n:1 R:0.681144 G:0.874186 B:0.703522 All:0.752951 (6.072161)\n"
                              "n:2 R:0.681218 G:0.872612 B:0.695363 All:0.749731 (6.015930)\n"
                              "n:3 R:1.000000 G:1.000000 B:1.000000 All:1.000000 (inf)\n");
    CHECK(f.frames == 3);
    CHECK(f.worst == Approx(0.749731));
    CHECK(parse_ssim_stats("").frames == 0);
    auto with_nan = parse_ssim_stats("n:1 All:0.9 (10)\nn:2 All:nan (nan)\n");
    CHECK(with_nan.frames == 1);
    CHECK(with_nan.worst == 0.9);
}

TEST_CASE("outputs are decoded with the matrix and range they are tagged with") {
    auto hd = parse_colour_tags("pix_fmt=yuv420p\ncolor_range=tv\ncolor_space=bt709\n");
    CHECK(hd.yuv);
    CHECK(hd.matrix == "bt709");
    CHECK(hd.range == "tv");
    auto sd = parse_colour_tags("pix_fmt=yuv444p\ncolor_range=pc\ncolor_space=smpte170m\n");
    CHECK(sd.matrix == "bt601");
    CHECK(sd.range == "pc");
    auto untagged =
        parse_colour_tags("pix_fmt=yuv420p\ncolor_range=unknown\ncolor_space=unknown\n");
    CHECK(untagged.matrix == "bt601");
    CHECK(untagged.range == "tv");
    CHECK_FALSE(parse_colour_tags("pix_fmt=bgr0\ncolor_range=unknown\n").yuv);
    CHECK_FALSE(parse_colour_tags("pix_fmt=pal8\n").yuv);
    CHECK(parse_colour_tags("pix_fmt=yuvj420p\ncolor_range=unknown\n").range == "pc");
}

TEST_CASE("the quality graph aligns by index and decodes with the tags") {
    const PixelFormat& rgba = parse_pixel_format("rgba");
    Captured c{"/t/source.raw", {641, 361}, &rgba, {60, 1}, 30, "x"};
    auto args = quality_args(c, "/t/out.mp4", {true, "bt709", "tv"}, {"/t/ssim.log", {}, 1});
    REQUIRE(args.size() > 4);
    auto graph = args[args.size() - 4];
    CHECK(graph ==
          "[0:v]format=gbrp,settb=1/60,setpts=N,split[ref1][ref2];[1:v]scale=in_color_matrix="
          "bt709:in_range=tv:flags=accurate_rnd+full_chroma_int,format=gbrp,crop=641:361:0:0,"
          "settb=1/60,setpts=N[dec];[dec][ref1]ssim=stats_file=/t/ssim.log[seen];[seen][ref2]"
          "psnr");
    auto rgb = quality_args(c, "/t/out.mkv", {false, "bt709", "tv"}, {"/t/ssim.log", {}, 1});
    CHECK_THAT(rgb[rgb.size() - 4], Catch::Contains("[1:v]scale=flags="));
}

namespace {

PresetResult encoded(std::string name, std::uint64_t bytes, double seconds, double ssim,
                     bool web = true) {
    PresetResult r;
    r.preset = std::move(name);
    r.encoder = "libx264";
    r.web = web;
    r.outcome = Outcome::encoded;
    r.frames = 300;
    r.fps_in = 60;
    r.seconds = seconds;
    r.bytes = bytes;
    r.quality = Quality{ssim, ssim - 0.01, 40, 38, 300, "bt709 tv", std::nullopt, std::nullopt};
    return r;
}

} // namespace

TEST_CASE("derived figures: speed against real time, size per minute") {
    auto r = encoded("a", 8'000'000, 2.5, 0.99);
    CHECK(r.encode_fps() == Approx(120));
    CHECK(r.speed() == Approx(2));
    CHECK(r.bytes_per_minute() == Approx(96'000'000)); // 300 frames at 60 fps are 5 s
    CHECK(r.bits_per_second() == Approx(12'800'000));
}

TEST_CASE("the recommendation is the smallest file meeting every constraint") {
    std::vector<PresetResult> rs{
        encoded("big", 9'000'000, 1, 0.999), encoded("slow", 1'000'000, 10, 0.99),
        encoded("blurry", 2'000'000, 1, 0.90), encoded("notweb", 2'500'000, 1, 0.99, false),
        encoded("fits", 3'000'000, 2, 0.985)};
    PresetResult gone;
    gone.preset = "nvenc-8M";
    gone.outcome = Outcome::unavailable;
    gone.reason = "no device";
    rs.push_back(gone);
    Constraints c;
    c.max_bytes_per_minute = 96'000'000;
    c.min_speed = 1;
    c.min_ssim = 0.98;
    c.web = true;
    auto pick = recommend(rs, c);
    REQUIRE(pick);
    CHECK(rs[*pick].preset == "fits");
    CHECK(failed_constraints(rs[0], c) ==
          std::vector<std::string>{"size 108.00 MB/min > --max-size 96 MB"});
    CHECK(failed_constraints(rs[1], c) == std::vector<std::string>{"speed 0.50x < --min-speed 1x"});
    CHECK(failed_constraints(rs[2], c) ==
          std::vector<std::string>{"SSIM 0.900000 < --min-ssim 0.98"});
    CHECK(failed_constraints(rs[3], c) ==
          std::vector<std::string>{"does not play in browsers (--web)"});
    CHECK(failed_constraints(rs[5], c) == std::vector<std::string>{"unavailable"});
    for (const auto& r : rs)
        if (failed_constraints(r, c).empty())
            CHECK(r.bytes >= rs[*pick].bytes);
    c.min_ssim = 0.9999;
    CHECK_FALSE(recommend(rs, c));
    CHECK_FALSE(has_constraints(Constraints{}));
}

TEST_CASE("the table aligns its columns and marks the best only in bold mode") {
    auto a = encoded("x264-crf17", 8'940'000, 1.0, 0.9912);
    auto b = encoded("vp8", 1'400'000, 2.0, 0.9701);
    b.quality->psnr_mean = std::numeric_limits<double>::infinity();
    PresetResult gone;
    gone.preset = "qsv";
    gone.encoder = "h264_qsv";
    gone.outcome = Outcome::unavailable;
    gone.reason = "no device";
    std::vector<PresetResult> rs{a, b, gone};
    auto plain = format_table(rs, {false, false, 300});
    CHECK(plain ==
          "preset      encoder   frames    fps  speed     size  per minute  Mbit/s    SSIM   worst"
          "  PSNR dB  worst  web\n"
          "x264-crf17  libx264      300  300.0  5.00x  8.94 MB   107.28 MB   14.30  0.9912  0.9812"
          "    40.00  38.00  yes\n"
          "vp8         libx264      300  150.0  2.50x  1.40 MB    16.80 MB    2.24  0.9701  0.9601"
          "      inf  38.00  yes\n"
          "qsv         h264_qsv  unavailable: no device\n");
    auto bold = format_table(rs, {true, false, 300});
    CHECK_THAT(bold, Catch::Contains("\x1b[1m300.0\x1b[0m"));
    CHECK_THAT(bold, Catch::Contains("\x1b[1m1.40 MB\x1b[0m"));
    CHECK_THAT(bold, Catch::Contains("\x1b[1minf\x1b[0m"));
    CHECK(plain.find('\x1b') == std::string::npos);
}

TEST_CASE("the table shows VMAF where it was measured, marks samples, and says what is missing") {
    auto a = encoded("x264-crf17", 8'940'000, 1.0, 0.9912);
    a.quality->vmaf_mean = 95.126;
    a.quality->vmaf_worst = 90.5;
    auto gif = encoded("gif", 12'700'000, 18.0, 0.9381);
    gif.encoder = "gif";
    gif.frames = 30;
    gif.quality->vmaf_mean = 80.0;
    gif.quality->vmaf_worst = 79.0;
    std::vector<PresetResult> rs{a, gif};
    auto cells = table_cells(rs, {false, true, 300});
    REQUIRE(cells.size() == 3);
    const std::vector<std::string> header{"preset",  "encoder",    "frames", "fps",   "speed",
                                          "size",    "per minute", "Mbit/s", "SSIM",  "worst",
                                          "PSNR dB", "worst",      "VMAF",   "worst", "web"};
    CHECK(cells[0] == header);
    CHECK(cells[1][12] == "95.13");
    CHECK(cells[1][13] == "90.50");
    CHECK(cells[1][2] == "300");
    CHECK(cells[2][2] == "30*");
    CHECK(table_notes(rs, {false, true, 300}) ==
          "* a slow encoder, measured on the first frames only (the frames column) of the 300 "
          "captured, to keep the bench short\n");
    auto bold = format_table(rs, {true, true, 300});
    CHECK_THAT(bold, Catch::Contains("\x1b[1m95.13\x1b[0m"));

    auto without = table_cells(rs, {false, false, 30});
    CHECK(without[0].size() == header.size() - 2);
    CHECK(without[2][2] == "30");
    CHECK(table_notes(rs, {false, false, 30}) ==
          "vmaf: unavailable (this ffmpeg has no libvmaf)\n");
}

TEST_CASE("slow encoders are measured on a sample, everything else on every frame") {
    Preset p;
    p.encoder = "libx264";
    CHECK(frames_to_measure(p, 300) == 300);
    p.encoder = "gif";
    CHECK(frames_to_measure(p, 300) == 30);
    CHECK(frames_to_measure(p, 20) == 20);
    for (const char* slow : {"prores_ks", "libvpx", "libsvtav1", "ffv1", "libx265"}) {
        p.encoder = slow;
        CHECK(frames_to_measure(p, 300) == 100);
        CHECK(frames_to_measure(p, 60) == 60);
    }
    p.encoder = "libvpx-vp9";
    CHECK(frames_to_measure(p, 300) == 300);
}

TEST_CASE("browser playability comes from the preset's encoder, format and options") {
    Preset p;
    p.encoder = "libx264";
    p.pix_fmt = "yuv420p";
    p.args = {"-preset", "ultrafast", "-crf", "17"};
    CHECK(plays_in_browsers(p));
    p.args = {"-preset", "ultrafast", "-crf", "0"};
    CHECK_FALSE(plays_in_browsers(p));
    p.args = {};
    p.pix_fmt = "yuv444p";
    CHECK_FALSE(plays_in_browsers(p));
    p.encoder = "ffv1";
    p.pix_fmt = "bgr0";
    CHECK_FALSE(plays_in_browsers(p));
    p.encoder = "gif";
    p.pix_fmt = "pal8";
    CHECK(plays_in_browsers(p));
    p.encoder = "libvpx-vp9";
    p.pix_fmt = "yuv420p";
    CHECK(plays_in_browsers(p));
}

TEST_CASE("bench tries presets this ffmpeg can encode, or the ones named") {
    auto make = [](std::string name, std::string encoder, Hardware hw = Hardware::none) {
        Preset p;
        p.name = std::move(name);
        p.encoder = std::move(encoder);
        p.hardware = hw;
        return p;
    };
    std::vector<Preset> all{make("x264-crf17", "libx264"), make("av1", "libsvtav1"),
                            make("nvenc-8M", "h264_nvenc", Hardware::nvenc),
                            make("prores", "prores_ks")};
    auto names = [](const std::vector<Preset>& ps) {
        std::vector<std::string> out;
        for (const auto& p : ps)
            out.push_back(p.name);
        return out;
    };
    std::vector<std::string> encoders{"libx264", "h264_nvenc", "prores_ks"};
    CHECK(names(select_presets(all, {}, false, encoders)) ==
          std::vector<std::string>{"x264-crf17", "nvenc-8M", "prores"});
    CHECK(names(select_presets(all, {}, true, encoders)) ==
          std::vector<std::string>{"x264-crf17", "nvenc-8M"});
    CHECK(names(select_presets(all, {"av1"}, false, std::nullopt)) ==
          std::vector<std::string>{"av1"});
    CHECK(names(select_presets(all, {}, false, std::nullopt)).size() == 4);
}

TEST_CASE("bench cache keys change with everything that could change a number") {
    CacheKeyParts base{42,     "1280x720 rgba 60 frames 300", "{x264}", "ffmpeg-id", "0.1.0 self",
                       "cpu 2"};
    const auto key = cache_key(base);
    CHECK(key.size() == 16);
    CHECK(cache_key(base) == key);
    auto changed = [&](auto mutate) {
        auto parts = base;
        mutate(parts);
        return cache_key(parts) != key;
    };
    CHECK(changed([](CacheKeyParts& p) { p.content_hash = 43; }));
    CHECK(changed([](CacheKeyParts& p) { p.content_format = "1280x720 rgba 60 frames 30"; }));
    CHECK(changed([](CacheKeyParts& p) { p.preset = "{x265}"; }));
    CHECK(changed([](CacheKeyParts& p) { p.ffmpeg = "other"; }));
    CHECK(changed([](CacheKeyParts& p) { p.framepipe = "0.2.0 self"; }));
    CHECK(changed([](CacheKeyParts& p) { p.machine = "cpu 4"; }));

    Preset a;
    a.encoder = "libx264";
    a.args = {"-crf", "17"};
    Preset b = a;
    b.name = "renamed";
    b.description = "same encode";
    CHECK(preset_fingerprint(a) == preset_fingerprint(b));
    b.args = {"-crf", "18"};
    CHECK(preset_fingerprint(a) != preset_fingerprint(b));
    CHECK(hash_text("a") != hash_text("b"));
}

TEST_CASE("cached bench results read back as written, infinite PSNR included") {
    auto r = encoded("ffv1", 1'551'547, 0.3, 1.0, false);
    r.quality->psnr_mean = std::numeric_limits<double>::infinity();
    r.quality->psnr_worst = std::numeric_limits<double>::infinity();
    auto back = parse_cached_result(format_cached_result(r));
    REQUIRE(back);
    CHECK(back->preset == "ffv1");
    CHECK(back->bytes == 1'551'547);
    CHECK(back->seconds == r.seconds);
    CHECK_FALSE(back->web);
    CHECK(std::isinf(back->quality->psnr_mean));
    CHECK(back->quality->ssim_mean == 1.0);
    CHECK(back->quality->decoded_as == "bt709 tv");
    CHECK_FALSE(back->quality->vmaf_mean);
    r.quality->vmaf_mean = 93.25;
    r.quality->vmaf_worst = 88.5;
    auto with_vmaf = parse_cached_result(format_cached_result(r));
    REQUIRE(with_vmaf);
    CHECK(with_vmaf->quality->vmaf_mean == std::optional<double>(93.25));
    CHECK(with_vmaf->quality->vmaf_worst == std::optional<double>(88.5));
    CHECK_FALSE(parse_cached_result("{\"version\": 0}"));
    CHECK_FALSE(parse_cached_result("not json"));
    CHECK_FALSE(parse_cached_result("{\"version\": 1, \"preset\": \"x\"}"));
}

TEST_CASE("a cache file this version did not write is not believed") {
    auto r = encoded("x264-crf17", 1000, 0.5, 0.97, true);
    const auto good = nlohmann::json::parse(format_cached_result(r));
    REQUIRE(parse_cached_result(good.dump()));
    // The field at `pointer` written as `raw` JSON text.
    auto with_text = [&](const char* pointer, const std::string& raw) {
        auto j = good;
        j[nlohmann::json::json_pointer(pointer)] = "RAW";
        auto text = j.dump();
        return parse_cached_result(text.replace(text.find("\"RAW\""), 5, raw));
    };
    auto with = [&](const char* pointer, const nlohmann::json& value) {
        return with_text(pointer, value.dump());
    };
    // value("version", 0) threw nlohmann's type_error on a string, out of the bench.
    CHECK_FALSE(with("/version", "2"));
    // 1e30 does not fit 64 bits: converting it was undefined (UBSan).
    CHECK_FALSE(with("/frames", 1e30));
    CHECK_FALSE(with("/bytes", -1));
    CHECK_FALSE(with("/quality/frames_compared", 2.5));
    // 1e400 reads as infinity, which would be written back as null.
    CHECK_FALSE(with_text("/seconds", "1e400"));
    CHECK(with_text("/seconds", "0.25"));
    CHECK_FALSE(with("/quality/ssim_mean", "inf"));
    CHECK_FALSE(with("/quality/psnr_mean", "fast"));
    CHECK(with("/quality/psnr_mean", "inf"));
    CHECK_FALSE(with("/quality", nlohmann::json::array()));
}

TEST_CASE("the encode time is the child's wall_seconds, and its error its last message") {
    CHECK(parse_encode_seconds(R"({"exit_status": 0, "wall_seconds": 0.317902164})") ==
          std::optional<double>(0.317902164));
    // operator[] threw nlohmann's type_error on an array.
    for (const char* bad : {"[]", "[1, 2]", "{}", R"({"wall_seconds": "0.3"})", "", "{\"wall"})
        CHECK_FALSE(parse_encode_seconds(bad));
    CHECK(framepipe_error({"framepipe: note: x", "framepipe: error: encoder hevc_nvenc of preset "
                                                 "'hevc-nvenc' cannot run here: Cannot load "
                                                 "libcuda.so.1; drop --no-fallback to fall back to "
                                                 "x264-crf17, or pick a software preset"}) ==
          "encoder hevc_nvenc of preset 'hevc-nvenc' cannot run here: Cannot load libcuda.so.1");
    CHECK(framepipe_error({"Segmentation fault"}) == "Segmentation fault");
    CHECK(framepipe_error({}).empty());
}

TEST_CASE("the CPU is /proc/cpuinfo's first model name") {
    CHECK(cpu_model("processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC\n"
                    "\nprocessor\t: 1\nmodel name\t: other\n") == "AMD EPYC");
    CHECK(cpu_model("processor\t: 0\nCPU implementer\t: 0x41\n").empty());
    // substr(find(':') + 2) threw std::out_of_range on this line.
    CHECK(cpu_model("model name:").empty());
    CHECK(cpu_model("model name\n").empty());
    CHECK(cpu_model("model name\t:X") == "X");
}
