// How a self-describing stream's first header becomes ffmpeg's input, and which user options
// may stand beside it.
#include "error.h"
#include "ffmpeg_args.h"
#include "pixel_format.h"
#include "streams/stream_start.h"

#include "catch.h"
#include <algorithm>
#include <csignal>
#include <unistd.h>

using namespace framepipe;

namespace {

StreamDescription y4m(std::uint32_t w, std::uint32_t h) {
    StreamDescription d;
    d.format = StreamFormat::y4m;
    d.size = {w, h};
    d.pix_fmt = "yuv422p10le";
    d.rate = Rational{25, 1};
    d.range = ColorRange::limited;
    return d;
}

std::string usage_error(const Options& o, const StreamDescription& d) {
    try {
        check_stream_options(o, d);
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::usage);
        return e.what();
    }
    return "";
}

FfmpegJob job_for(const RawInput& in) {
    FfmpegJob job;
    job.input = in;
    job.preset.encoder = "libx264";
    job.container = &container_for("out.mp4");
    job.output = "out.mp4";
    return job;
}

} // namespace

TEST_CASE("which input is read as a stream") {
    Options o;
    CHECK(reads_stream(o));
    o.size = FrameSize{64, 48};
    CHECK_FALSE(reads_stream(o)); // auto with --size: raw, as before
    o.input_format = InputFormat::y4m;
    CHECK(reads_stream(o));
    o.input_format = InputFormat::raw;
    CHECK_FALSE(reads_stream(o));
}

TEST_CASE("Y4M matrix rule: BT.709 from 1280 wide or 577 high, --input-matrix overrides") {
    CHECK(y4m_matrix(y4m(720, 576), "") == "bt601");
    CHECK(y4m_matrix(y4m(1279, 576), "") == "bt601");
    CHECK(y4m_matrix(y4m(1280, 100), "") == "bt709");
    CHECK(y4m_matrix(y4m(720, 577), "") == "bt709");
    CHECK(y4m_matrix(y4m(1920, 1080), "bt601") == "bt601");
    CHECK(y4m_matrix(y4m(320, 240), "bt709") == "bt709");
}

TEST_CASE("options that agree with the header stand, ones that contradict it are refused") {
    Options o;
    const auto d = y4m(320, 240);
    CHECK(usage_error(o, d).empty());
    o.size = FrameSize{320, 240};
    o.fps = Rational{50, 2};
    o.fps_given = true;
    CHECK(usage_error(o, d).empty());
    o.size = FrameSize{640, 480};
    CHECK(usage_error(o, d) == "--size 640x480 contradicts the YUV4MPEG2 input, whose header says "
                               "320x240: drop --size (the stream says what its frames are)");
    o.size.reset();
    o.fps = Rational{30, 1};
    CHECK(usage_error(o, d) == "--fps 30 contradicts the YUV4MPEG2 input, whose header says 25: "
                               "drop --fps (the stream says what its frames are)");
    o.fps_given = false;
    o.pix_fmt = &parse_pixel_format("rgb24");
    o.pix_fmt_given = true;
    CHECK(usage_error(o, d) == "--pix-fmt rgb24 contradicts the YUV4MPEG2 input, whose header "
                               "says yuv422p10le: drop --pix-fmt (the stream says what its "
                               "frames are)");
    auto ppm = d;
    ppm.format = StreamFormat::pnm;
    ppm.pix_fmt = "rgb24";
    ppm.rate.reset();
    CHECK(usage_error(o, ppm).empty());
    o.fps_given = true; // PNM has no rate: --fps gives it
    CHECK(usage_error(o, ppm).empty());
}

TEST_CASE("ffmpeg's input for Y4M: rawvideo in its pix_fmt and rate, converted from its matrix") {
    auto d = y4m(320, 240);
    const auto in = stream_ffmpeg_input(d, Rational{30, 1}, "");
    const auto args = build_ffmpeg_args(job_for(in));
    const std::vector<std::string> input{"-f",      "rawvideo", "-pix_fmt", "yuv422p10le", "-s",
                                         "320x240", "-r",       "25",       "-i",          "-"};
    CHECK(std::search(args.begin(), args.end(), input.begin(), input.end()) != args.end());
    CHECK(filter_chain(job_for(in)) ==
          "scale=in_color_matrix=bt601:in_range=tv:out_color_matrix=bt709:out_range=tv:"
          "flags=accurate_rnd,format=yuv420p,"
          "setparams=color_primaries=bt709:color_trc=bt709:colorspace=bt709:range=tv");
    d.range = ColorRange::full;
    CHECK(filter_chain(job_for(stream_ffmpeg_input(d, Rational{30, 1}, "bt709")))
              .starts_with("scale=in_color_matrix=bt709:in_range=pc:out_color_matrix=bt709:"));
}

TEST_CASE("ffmpeg's input for PNG: png_pipe at --fps, converted like RGB") {
    StreamDescription d;
    d.format = StreamFormat::png;
    d.size = {641, 480};
    d.pix_fmt = "rgba";
    const auto job = job_for(stream_ffmpeg_input(d, Rational{24, 1}, ""));
    const auto args = build_ffmpeg_args(job);
    const std::vector<std::string> input{"-f", "png_pipe", "-framerate", "24", "-i", "-"};
    CHECK(std::search(args.begin(), args.end(), input.begin(), input.end()) != args.end());
    CHECK(filter_chain(job).starts_with("pad=642:480,scale=out_color_matrix=bt709:"));
}

TEST_CASE("option --input-matrix is refused where the input has no YCbCr matrix") {
    Options o;
    o.input_matrix = "bt601";
    StreamDescription png;
    png.format = StreamFormat::png;
    png.size = {64, 48};
    png.pix_fmt = "rgba";
    CHECK(usage_error(o, png) ==
          "--input-matrix bt601 names the YCbCr matrix a YUV4MPEG2 input was made with, but the "
          "input is PNG (64x48 rgba): RGB pictures have no such matrix, so drop --input-matrix");
    auto pgm = png;
    pgm.format = StreamFormat::pnm;
    pgm.pix_fmt = "gray16be";
    pgm.maxval = 1023;
    CHECK(usage_error(o, pgm) ==
          "--input-matrix bt601 names the YCbCr matrix a YUV4MPEG2 input was made with, but the "
          "input is PNM (64x48 gray16be, maxval 1023): gray pictures have no such matrix, so drop "
          "--input-matrix");
    auto mono = y4m(64, 48);
    mono.pix_fmt = "gray10le";
    CHECK(usage_error(o, mono) ==
          "--input-matrix bt601 names the YCbCr matrix a YUV4MPEG2 input was made with, but the "
          "input is YUV4MPEG2 (64x48 gray10le): gray pictures have no such matrix, so drop "
          "--input-matrix");
    CHECK(usage_error(o, y4m(64, 48)).empty());
}

TEST_CASE(
    "option --input-matrix with raw frames or a declared PNM or PNG is refused before reading") {
    auto refusal = [](const Options& o) -> std::string {
        try {
            check_input_matrix(o);
        } catch (const Error& e) {
            CHECK(e.code() == ExitCode::usage);
            return e.what();
        }
        return "";
    };
    Options o;
    o.pix_fmt = &parse_pixel_format("rgba");
    CHECK(refusal(o).empty()); // no --input-matrix
    o.input_matrix = "bt709";
    CHECK(refusal(o).empty()); // auto without --size: the header will tell
    o.size = FrameSize{64, 48};
    CHECK(refusal(o) ==
          "--input-matrix bt709 names the YCbCr matrix a YUV4MPEG2 input was made with, but the "
          "input is raw frames (--pix-fmt rgba): RGB pictures have no such matrix, so drop "
          "--input-matrix");
    o.pix_fmt = &parse_pixel_format("gray16le");
    CHECK(refusal(o).ends_with("input is raw frames (--pix-fmt gray16le): gray pictures have no "
                               "such matrix, so drop --input-matrix"));
    o.size.reset();
    o.input_format = InputFormat::png;
    CHECK(refusal(o) == "--input-matrix bt709 names the YCbCr matrix a YUV4MPEG2 input was made "
                        "with, but the input is PNG (--input-format png): its RGB or gray "
                        "pictures have no such matrix, so drop --input-matrix");
    o.input_format = InputFormat::pnm;
    CHECK(refusal(o).find("the input is PNM (--input-format pnm)") != std::string::npos);
    o.input_format = InputFormat::y4m;
    CHECK(refusal(o).empty());
}

TEST_CASE("a Y4M header's aspect, fields and chroma siting go to ffmpeg, Im is refused") {
    auto d = y4m(720, 576);
    d.sample_aspect = Rational{16, 11};
    d.interlacing = Interlacing::bottom_first;
    d.chroma = ChromaSiting::left;
    auto in = stream_ffmpeg_input(d, Rational{30, 1}, "");
    CHECK(in.sample_aspect == Rational{16, 11});
    CHECK(in.field_order == "bb");
    CHECK(in.chroma_location == "left");
    d.interlacing = Interlacing::top_first;
    d.chroma = ChromaSiting::top_left;
    in = stream_ffmpeg_input(d, Rational{30, 1}, "");
    CHECK(in.field_order == "tt");
    CHECK(in.chroma_location == "topleft");
    d.interlacing = Interlacing::unknown;
    d.chroma = ChromaSiting::center;
    d.sample_aspect.reset();
    in = stream_ffmpeg_input(d, Rational{30, 1}, "");
    CHECK(in.field_order.empty());
    CHECK(in.chroma_location == "center");
    CHECK(!in.sample_aspect);
    d.interlacing = Interlacing::progressive;
    CHECK(stream_ffmpeg_input(d, Rational{30, 1}, "").field_order.empty());
    CHECK_NOTHROW(check_stream_supported(d));

    d.interlacing = Interlacing::mixed;
    try {
        check_stream_supported(d);
        FAIL("Im was accepted");
    } catch (const Error& e) {
        CHECK(e.code() == ExitCode::input);
        CHECK(std::string(e.what()) ==
              "the YUV4MPEG2 header says Im: its frames mix interlaced and progressive pictures, "
              "each saying which in its FRAME line, and framepipe tags the whole video one way: "
              "have the producer send It, Ib or Ip (ffmpeg refuses Im too); nothing was written");
    }
}

TEST_CASE("the first header is read once it arrives, a signal while waiting ends the wait") {
    int p[2];
    REQUIRE(::pipe(p) == 0);
    SignalWatcher signals;
    const std::string header = "YUV4MPEG2 W4 H2 F25:1\nFRAME\n";
    REQUIRE(::write(p[1], header.data(), header.size()) == static_cast<ssize_t>(header.size()));
    auto start = read_stream_start(p[0], InputFormat::automatic, "stdin", signals);
    CHECK(start.interrupted_by == 0);
    CHECK(start.first.size == FrameSize{4, 2});
    CHECK(start.bytes.size() == header.size());

    // Nothing more arrives: only the signal ends the wait.
    ::raise(SIGTERM);
    start = read_stream_start(p[0], InputFormat::y4m, "stdin", signals);
    CHECK(start.interrupted_by == SIGTERM);
    ::close(p[0]);
    ::close(p[1]);
}
