// YUV4MPEG2 streams: the stream header, FRAME lines, frame sizes per colourspace, and every
// refusal, each checked fed whole and byte by byte.
#include "stream_test_support.h"
#include "streams/y4m.h"
#include "test_support.h"

#include "catch.h"

using namespace framepipe;
using namespace framepipe::testing;

namespace {

const auto Y4M = StreamFormat::y4m;

std::string corpus(const std::string& name) {
    return read_file(std::string(FRAMEPIPE_SOURCE_DIR) + "/tests/fuzz/corpus/y4m/" + name);
}

// A stream of `frames` frames of `body` bytes each after `header`.
std::string y4m(const std::string& header, std::size_t body, int frames = 1,
                const std::string& frame_line = "FRAME\n") {
    std::string s = header + "\n";
    for (int i = 0; i < frames; ++i)
        s += frame_line + std::string(body, static_cast<char>(i + 1));
    return s;
}

StreamDescription only_frame(const std::string& header, std::size_t body) {
    Walk w = walk_both_ways(Y4M, y4m(header, body));
    REQUIRE(w.error.empty());
    REQUIRE(w.frames.size() == 1);
    return w.frames.front();
}

} // namespace

TEST_CASE("Y4M from ffmpeg: every frame found, the headers dropped, the planes passed on") {
    struct Case {
        const char* file;
        const char* pix_fmt;
        std::uint64_t frame_bytes;
        ColorRange range;
        ChromaSiting chroma;
    };
    const Case cases[] = {
        {"ffmpeg-yuv420p.y4m", "yuv420p", 192, ColorRange::limited, ChromaSiting::center},
        {"ffmpeg-yuvj420p.y4m", "yuv420p", 192, ColorRange::full, ChromaSiting::center},
        {"ffmpeg-420mpeg2.y4m", "yuv420p", 192, ColorRange::limited, ChromaSiting::left},
        {"ffmpeg-yuv411p.y4m", "yuv411p", 192, ColorRange::limited, ChromaSiting::unspecified},
        {"ffmpeg-yuv422p10le.y4m", "yuv422p10le", 512, ColorRange::limited,
         ChromaSiting::unspecified},
        {"ffmpeg-yuv444p12le.y4m", "yuv444p12le", 768, ColorRange::limited,
         ChromaSiting::unspecified},
        {"ffmpeg-yuva444p.y4m", "yuva444p", 512, ColorRange::limited, ChromaSiting::unspecified},
        {"ffmpeg-gray.y4m", "gray", 128, ColorRange::full, ChromaSiting::unspecified},
        {"ffmpeg-gray16le.y4m", "gray16le", 256, ColorRange::full, ChromaSiting::unspecified},
    };
    for (const auto& c : cases) {
        INFO(c.file);
        const std::string bytes = corpus(c.file);
        Walk w = walk_both_ways(Y4M, bytes);
        CHECK(w.error.empty());
        CHECK(w.complete == 2);
        REQUIRE(w.frames.size() == 2);
        const StreamDescription& d = w.frames[0];
        CHECK(d.format == StreamFormat::y4m);
        CHECK(d.size == FrameSize{16, 8});
        CHECK(d.pix_fmt == c.pix_fmt);
        CHECK(d.payload_bytes == c.frame_bytes);
        CHECK(d.range == c.range);
        CHECK(d.chroma == c.chroma);
        CHECK(d.rate == Rational{30000, 1001});
        CHECK(d.sample_aspect == Rational{1, 1});
        CHECK(d.interlacing == Interlacing::progressive);
        CHECK(w.payload.size() == 2 * c.frame_bytes);
        CHECK(w.framing == bytes.substr(0, bytes.find('\n') + 1) + "FRAME\nFRAME\n");
    }
}

TEST_CASE("Y4M frame sizes follow the colourspace, chroma planes rounded up") {
    const std::pair<const char*, std::uint64_t> sizes[] = {
        // 33x17: 561 luma samples; 4:2:0 chroma 17x9, 4:1:1 9x17, 4:2:2 17x17.
        {"420jpeg", 561 + 2 * 153},
        {"420mpeg2", 561 + 2 * 153},
        {"420paldv", 561 + 2 * 153},
        {"420", 561 + 2 * 153},
        {"411", 561 + 2 * 153},
        {"422", 561 + 2 * 289},
        {"444", 3 * 561},
        {"444alpha", 4 * 561},
        {"mono", 561},
        {"420p9", 2 * (561 + 2 * 153)},
        {"420p10", 2 * (561 + 2 * 153)},
        {"420p12", 2 * (561 + 2 * 153)},
        {"420p14", 2 * (561 + 2 * 153)},
        {"420p16", 2 * (561 + 2 * 153)},
        {"422p9", 2 * (561 + 2 * 289)},
        {"422p10", 2 * (561 + 2 * 289)},
        {"422p12", 2 * (561 + 2 * 289)},
        {"422p14", 2 * (561 + 2 * 289)},
        {"422p16", 2 * (561 + 2 * 289)},
        {"444p9", 6 * 561},
        {"444p10", 6 * 561},
        {"444p12", 6 * 561},
        {"444p14", 6 * 561},
        {"444p16", 6 * 561},
        {"mono9", 2 * 561},
        {"mono10", 2 * 561},
        {"mono12", 2 * 561},
        {"mono16", 2 * 561},
    };
    CHECK(std::size(sizes) == y4m_colourspaces().size());
    for (const auto& [tag, bytes] : sizes) {
        INFO(tag);
        auto d = only_frame("YUV4MPEG2 W33 H17 C" + std::string(tag), bytes);
        CHECK(d.payload_bytes == bytes);
    }
    CHECK(only_frame("YUV4MPEG2 W33 H17 C422p10", 2 * (561 + 2 * 289)).pix_fmt == "yuv422p10le");
    CHECK(only_frame("YUV4MPEG2 W33 H17 C444alpha", 4 * 561).pix_fmt == "yuva444p");
    CHECK(only_frame("YUV4MPEG2 W33 H17 Cmono12", 2 * 561).pix_fmt == "gray12le");
    CHECK(only_frame("YUV4MPEG2 W33 H17 C420paldv", 867).chroma == ChromaSiting::top_left);
}

TEST_CASE("Y4M header tags come in any order, missing ones take yuv4mpeg(5)'s defaults") {
    auto d = only_frame("YUV4MPEG2 C444 XCOLORRANGE=FULL A10:11 Ib F25:1 H2 W4", 24);
    CHECK(d.size == FrameSize{4, 2});
    CHECK(d.pix_fmt == "yuv444p");
    CHECK(d.rate == Rational{25, 1});
    CHECK(d.sample_aspect == Rational{10, 11});
    CHECK(d.interlacing == Interlacing::bottom_first);
    CHECK(d.range == ColorRange::full);

    auto bare = only_frame("YUV4MPEG2 W4 H2", 12);
    CHECK(bare.pix_fmt == "yuv420p"); // 420jpeg
    CHECK(bare.chroma == ChromaSiting::center);
    CHECK(!bare.rate);
    CHECK(!bare.sample_aspect);
    CHECK(bare.range == ColorRange::unspecified);
    CHECK(bare.interlacing == Interlacing::unknown);

    auto unknown = only_frame("YUV4MPEG2 W4 H2 F0:0 A0:0 I?", 12);
    CHECK(!unknown.rate);
    CHECK(!unknown.sample_aspect);

    CHECK(only_frame("YUV4MPEG2 W4 H2 It", 12).interlacing == Interlacing::top_first);
    CHECK(only_frame("YUV4MPEG2 W4 H2 Im", 12).interlacing == Interlacing::mixed);
    CHECK(only_frame("YUV4MPEG2 W4 H2 XCOLORRANGE=LIMITED", 12).range == ColorRange::limited);
    CHECK(only_frame("YUV4MPEG2 W4 H2 F60000:2000", 12).rate == Rational{30, 1});
}

TEST_CASE("Y4M: unknown tags are skipped, double spaces forgiven, XYSCSS used without C") {
    CHECK(only_frame("YUV4MPEG2  W4 H2 Zwhatever XFOO=1 ", 12).pix_fmt == "yuv420p");
    CHECK(only_frame("YUV4MPEG2 W4 H2 XYSCSS=422P10", 32).pix_fmt == "yuv422p10le");
    // C wins over the older spelling, as ffmpeg writes C444alpha beside XYSCSS=444.
    CHECK(only_frame("YUV4MPEG2 W4 H2 XYSCSS=444 C444alpha", 32).pix_fmt == "yuva444p");
    CHECK(only_frame("YUV4MPEG2 W4 H2 XYSCSS=BOGUS C444", 24).pix_fmt == "yuv444p");
}

TEST_CASE("Y4M FRAME lines may carry parameters") {
    Walk w = walk_both_ways(Y4M, y4m("YUV4MPEG2 W4 H2 Im", 12, 3, "FRAME Itpi XFOO=bar\n"));
    CHECK(w.error.empty());
    CHECK(w.complete == 3);
    CHECK(w.payload == std::string(12, 1) + std::string(12, 2) + std::string(12, 3));
    CHECK(walk_both_ways(Y4M, y4m("YUV4MPEG2 W4 H2", 12, 2, "FRAME I1pp\n")).complete == 2);
    CHECK(walk_both_ways(Y4M, y4m("YUV4MPEG2 W4 H2", 12, 1, "FRAME  I3p?\n")).complete == 1);
}

TEST_CASE("Y4M: a stream header with no frame is no error, and no frame") {
    Walk w = walk_both_ways(Y4M, "YUV4MPEG2 W4 H2\n");
    CHECK(w.error.empty());
    CHECK(w.frames.empty());
    CHECK(w.complete == 0);
}

TEST_CASE("Y4M stream header errors name frame 1, the byte and the tag") {
    const std::pair<std::string, std::string> cases[] = {
        {"YUV4MPEG1 W4 H2\n", "frame 1 at byte 0: not a YUV4MPEG2 stream: it does not start "
                              "with \"YUV4MPEG2 \""},
        {"YUV4MPEG2\n", "frame 1 at byte 0: not a YUV4MPEG2 stream: it does not start with "
                        "\"YUV4MPEG2 \""},
        {"YUV4MPEG2 H2\n", "frame 1 at byte 0: the stream header has no width (W) tag"},
        {"YUV4MPEG2 W2\n", "frame 1 at byte 0: the stream header has no height (H) tag"},
        {"YUV4MPEG2 W0 H2\n",
         "frame 1 at byte 0: the width tag 'W0' is not a whole number from 1 to 65535"},
        {"YUV4MPEG2 W4 H65536\n",
         "frame 1 at byte 0: the height tag 'H65536' is not a whole number from 1 to 65535"},
        {"YUV4MPEG2 W-4 H2\n",
         "frame 1 at byte 0: the width tag 'W-4' is not a whole number from 1 to 65535"},
        {"YUV4MPEG2 W4 H2 W6\n", "frame 1 at byte 0: the stream header gives the W tag twice"},
        {"YUV4MPEG2 W4 H2 F30\n", "frame 1 at byte 0: the frame rate tag 'F30' is not a ratio "
                                  "such as F30000:1001 (or F0:0 for unknown)"},
        {"YUV4MPEG2 W4 H2 F30:0\n", "frame 1 at byte 0: the frame rate tag 'F30:0' is not a "
                                    "ratio such as F30000:1001 (or F0:0 for unknown)"},
        {"YUV4MPEG2 W4 H2 A1:x\n", "frame 1 at byte 0: the pixel aspect tag 'A1:x' is not a "
                                   "ratio such as A1:1 (or A0:0 for unknown)"},
        {"YUV4MPEG2 W4 H2 Ix\n",
         "frame 1 at byte 0: the interlacing tag 'Ix' is not one of Ip, It, Ib, Im, I?"},
        {"YUV4MPEG2 W4 H2 C420p11\n",
         "frame 1 at byte 0: unknown YUV4MPEG2 colourspace 'C420p11': framepipe reads C" +
             y4m_colourspace_names()},
        {"YUV4MPEG2 W4 H2 XYSCSS=420P11\n",
         "frame 1 at byte 0: unknown YUV4MPEG2 colourspace 'XYSCSS=420P11': framepipe reads C" +
             y4m_colourspace_names()},
        {"YUV4MPEG2 W4 H2 XCOLORRANGE=PC\n",
         "frame 1 at byte 0: the colour range tag 'XCOLORRANGE=PC' is neither "
         "XCOLORRANGE=FULL nor XCOLORRANGE=LIMITED"},
        {"YUV4MPEG2 W65535 H65535 C444p16\n",
         "frame 1 at byte 0: frames of 65535x65535 yuv444p16le are 25769017350 bytes, more than "
         "ffmpeg can read as one frame (2147483647)"},
        {"YUV4MPEG2 W4 H2 X" + std::string(1100, 'a') + "\n",
         "frame 1 at byte 0: the stream header line is longer than 1024 bytes"},
    };
    for (const auto& [bytes, message] : cases) {
        INFO(bytes.substr(0, 60));
        CHECK(stream_error(Y4M, bytes) == message);
    }
    CHECK(y4m_colourspace_names().starts_with("420jpeg, 420mpeg2, 420paldv, 420, 411, 422, 444, "
                                              "444alpha, mono, 420p9, "));
}

TEST_CASE("Y4M frame errors name the frame, where it starts and what was found") {
    const std::string header = "YUV4MPEG2 W4 H2\n"; // 16 bytes, frames of 6 + 12
    const std::pair<std::string, std::string> cases[] = {
        {header + "FRAMEX\n" + std::string(12, 'a'),
         "frame 1 at byte 16: expected a \"FRAME\" line, found \"FRAMEX\""},
        {header + "FRAME Ixx\n" + std::string(12, 'a'),
         "frame 1 at byte 16: the frame's interlacing tag 'Ixx' is not of the form Ixyz (x one "
         "of tTbB123, y p or i, z p, i or ?)"},
        // Frames one byte longer than the header says: the next FRAME line is not where it
        // must be.
        {header + "FRAME\n" + std::string(13, 'a') + "FRAME\n" + std::string(12, 'b'),
         "frame 2 at byte 34: expected a \"FRAME\" line, found \"a\": the stream is corrupt, "
         "or its frames are not the size its header declares (4x2 yuv420p, 12 bytes)"},
        {header + "FRAME " + std::string(1100, 'X'),
         "frame 1 at byte 16: a FRAME header line is longer than 1024 bytes"},
    };
    for (const auto& [bytes, message] : cases) {
        INFO(bytes.substr(0, 60));
        CHECK(stream_error(Y4M, bytes) == message);
    }
}

TEST_CASE("Y4M ending inside a frame keeps the frames before it and says how much arrived") {
    const std::string two = y4m("YUV4MPEG2 W4 H2", 12, 2);
    Walk cut = walk_both_ways(Y4M, two.substr(0, two.size() - 5));
    CHECK(cut.complete == 1);
    CHECK(cut.error == "the input ended inside frame 2, which starts at byte 34: only 7 of its "
                       "12 bytes of pixels arrived");
    CHECK(stream_error(Y4M, two.substr(0, 37)) ==
          "the input ended inside frame 2, which starts at byte 34: its header is incomplete");
    CHECK(stream_error(Y4M, "YUV4MPEG2 W4") ==
          "the input ended inside frame 1, which starts at byte 0: its header is incomplete");
}
