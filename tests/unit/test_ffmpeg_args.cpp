// The argument vector for the default preset, pinned exactly: users paste --dry-run output into
// scripts, and every flag here is there for a reason documented in ffmpeg_args.cpp.
#include "ffmpeg_args.h"
#include "preset.h"
#include "shell_quote.h"

#include "catch.h"

using namespace framepipe;

namespace {

Preset x264_crf17() {
    Preset p;
    p.name = "x264-crf17";
    p.description = "test";
    p.encoder = "libx264";
    p.args = {"-preset", "ultrafast", "-crf", "17"};
    p.containers = {"mp4", "mkv"};
    return p;
}

FfmpegJob job_for(FrameSize size, const char* pix, const char* out = "out.mp4") {
    FfmpegJob job;
    job.input = raw_frames(size, &parse_pixel_format(pix), {60, 1});
    job.preset = x264_crf17();
    job.output = out;
    job.container = &container_for(out);
    return job;
}

} // namespace

TEST_CASE("golden argv for the default preset") {
    auto job = job_for({1280, 720}, "argb");
    std::vector<std::string> expected{
        "-nostdin",
        "-loglevel",
        "level+info",
        "-nostats",
        "-n",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "argb",
        "-s",
        "1280x720",
        "-r",
        "60",
        "-i",
        "-",
        "-vf",
        "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv420p,"
        "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-crf",
        "17",
        "-pix_fmt",
        "yuv420p",
        "-color_primaries",
        "bt709",
        "-color_trc",
        "bt709",
        "-colorspace",
        "bt709",
        "-color_range",
        "tv",
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        "file:out.mp4"};
    CHECK(build_ffmpeg_args(job) == expected);
}

TEST_CASE("overwrite, progress pipe and extra options land where ffmpeg expects them") {
    auto job = job_for({640, 480}, "rgba", "clip.mkv");
    job.overwrite = true;
    job.progress_fd = 3;
    job.extra_args = {"-g", "30"};
    auto a = build_ffmpeg_args(job);
    CHECK(std::find(a.begin(), a.end(), "-y") != a.end());
    CHECK(std::find(a.begin(), a.end(), "-n") == a.end());
    auto progress = std::find(a.begin(), a.end(), "-progress");
    REQUIRE(progress != a.end());
    CHECK(*(progress + 1) == "pipe:3");
    // Extra options come after the preset (so they override it) and before the output.
    CHECK(a[a.size() - 5] == "-g");
    CHECK(a[a.size() - 4] == "30");
    CHECK(a[a.size() - 2] == "matroska");
    CHECK(std::find(a.begin(), a.end(), "-movflags") == a.end()); // mkv needs no faststart
}

TEST_CASE("odd sizes are padded to even for 4:2:0") {
    CHECK(encoded_size({301, 201}, "yuv420p") == FrameSize{302, 202});
    CHECK(encoded_size({301, 201}, "yuv422p") == FrameSize{302, 201});
    CHECK(encoded_size({301, 201}, "yuv444p") == FrameSize{301, 201});
    CHECK(filter_chain(job_for({301, 201}, "rgb24")) ==
          "pad=302:202,scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd,format=yuv420p,"
          "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv");
}

TEST_CASE("output names are always passed with file:, so ffmpeg never reads them as options") {
    CHECK(output_url("-out.mp4") == "file:-out.mp4");
    CHECK(output_url("clip:1.mp4") == "file:clip:1.mp4");
    CHECK(output_url("pipe:1.mp4") == "file:pipe:1.mp4");
}

TEST_CASE("the encoder probe reads a synthetic frame of the real size and format") {
    auto job = job_for({1280, 720}, "bgra");
    auto a = build_encoder_probe_args(job);
    auto i = std::find(a.begin(), a.end(), "-i");
    REQUIRE(i != a.end());
    CHECK(*(i + 1) == "color=c=gray:s=1280x720:r=60,format=bgra");
    CHECK(a.back() == "-");
    CHECK(a[a.size() - 2] == "null");
}

TEST_CASE("shell quoting round-trips awkward words") {
    CHECK(shell_quote("plain-word_1.mp4") == "plain-word_1.mp4");
    CHECK(shell_quote("") == "''");
    CHECK(shell_quote("two words") == "'two words'");
    CHECK(shell_quote("it's") == "'it'\\''s'");
    CHECK(shell_quote("$HOME") == "'$HOME'");
    CHECK(shell_join({"ffmpeg", "-vf", "a,b"}) == "ffmpeg -vf a,b");
}
