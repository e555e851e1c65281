// PGM (P5), PPM (P6) and PAM (P7) streams: header tokens, comments, the one whitespace byte
// before the raster, concatenated images, maxval rescaling, and every refusal.
#include "stream_test_support.h"
#include "streams/pnm.h"
#include "test_support.h"

#include "catch.h"

using namespace framepipe;
using namespace framepipe::testing;

namespace {

const auto PNM = StreamFormat::pnm;

std::string corpus(const std::string& name) {
    return read_file(std::string(FRAMEPIPE_SOURCE_DIR) + "/tests/fuzz/corpus/pnm/" + name);
}

StreamDescription only_image(const std::string& header, std::size_t raster) {
    Walk w = walk_both_ways(PNM, header + std::string(raster, '\x07'));
    INFO(w.error);
    REQUIRE(w.error.empty());
    REQUIRE(w.frames.size() == 1);
    CHECK(w.payload.size() == raster);
    CHECK(w.framing == header);
    return w.frames.front();
}

} // namespace

TEST_CASE("PNM from ffmpeg and netpbm: every image found, its raster passed on") {
    struct Case {
        const char* file;
        int images;
        const char* pix_fmt;
        std::uint32_t maxval;
    };
    const Case cases[] = {
        {"ffmpeg-2frames.ppm", 2, "rgb24", 255},
        {"ffmpeg-2frames.pgm", 2, "gray", 255},
        {"ffmpeg-2frames.pam", 2, "rgb24", 255},
        {"ffmpeg-rgba.pam", 2, "rgba", 255},
        {"ffmpeg-rgb48be.ppm", 2, "rgb48be", 65535},
        {"netpbm-pat.ppm", 1, "rgb24", 255},
        {"netpbm.pam", 1, "rgb24", 255},
        {"netpbm-maxval1023.pgm", 1, "gray16be", 1023},
        {"netpbm-maxval3.pgm", 1, "gray", 3},
        {"comments.ppm", 1, "rgb24", 255},
    };
    for (const auto& c : cases) {
        INFO(c.file);
        Walk w = walk_both_ways(PNM, corpus(c.file));
        CHECK(w.error.empty());
        CHECK(w.complete == static_cast<std::uint64_t>(c.images));
        REQUIRE(!w.frames.empty());
        CHECK(w.frames[0].size == FrameSize{16, 8});
        CHECK(w.frames[0].pix_fmt == c.pix_fmt);
        CHECK(w.frames[0].maxval == c.maxval);
        CHECK(w.frames[0].range == ColorRange::full);
        CHECK(w.payload.size() == w.frames[0].payload_bytes * c.images);
    }
}

TEST_CASE("PNM headers: any whitespace, comments anywhere before the raster") {
    CHECK(only_image("P6 4 2 255\n", 24).size == FrameSize{4, 2});
    CHECK(only_image("P6\t4\r\n2\v\f255 ", 24).pix_fmt == "rgb24");
    CHECK(only_image("P5\n# made by hand\n4 2\n255\n", 8).pix_fmt == "gray");
    CHECK(only_image("P5#right after the magic\n4 2 255\n", 8).size == FrameSize{4, 2});
    CHECK(only_image("P5 4 2 # between tokens\r 255\n", 8).maxval == 255);
    CHECK(only_image("P5 4#\n 2#\r 255#x\n\n", 8).size == FrameSize{4, 2});
    CHECK(only_image("P5 0004 02 00255\n", 8).size == FrameSize{4, 2});
}

TEST_CASE("PNM: a comment inside a token is dropped whole and the token goes on (pnm(5))") {
    CHECK(only_image("P5 1#comment\n2 1 255\n", 12).size == FrameSize{12, 1});
    CHECK(only_image("P5 4 2 2#\r55\n", 8).maxval == 255);
    // The comment's line end is not the byte before the raster: that comes after the comment.
    auto d = only_image("P5 4 2 255#c\n\n", 8);
    CHECK(d.maxval == 255);
}

TEST_CASE("PNM maxval picks one or two big-endian bytes a sample") {
    CHECK(only_image("P5 4 2 1\n", 8).pix_fmt == "gray");
    CHECK(only_image("P5 4 2 255\n", 8).pix_fmt == "gray");
    CHECK(only_image("P5 4 2 256\n", 16).pix_fmt == "gray16be");
    CHECK(only_image("P6 4 2 65535\n", 48).pix_fmt == "rgb48be");
    CHECK(only_image("P6 4 2 1023\n", 48).maxval == 1023);
}

TEST_CASE("PAM headers: any order, comments, TUPLTYPE optional, DEPTH 1 to 4") {
    auto d = only_image("P7\nTUPLTYPE RGB_ALPHA\n# comment\nMAXVAL 255\nDEPTH 4\n\n"
                        "  HEIGHT 2\nWIDTH 4\nENDHDR\n",
                        32);
    CHECK(d.pix_fmt == "rgba");
    CHECK(only_image("P7\nWIDTH 4\nHEIGHT 2\nDEPTH 1\nMAXVAL 255\nENDHDR\n", 8).pix_fmt == "gray");
    CHECK(only_image("P7\nWIDTH 4\nHEIGHT 2\nDEPTH 2\nMAXVAL 255\nTUPLTYPE GRAYSCALE_ALPHA\n"
                     "ENDHDR\n",
                     16)
              .pix_fmt == "ya8");
    CHECK(only_image("P7\nWIDTH 4\nHEIGHT 2\nDEPTH 3\nMAXVAL 65535\nENDHDR\n", 48).pix_fmt ==
          "rgb48be");
    CHECK(only_image("P7\nWIDTH 4\nHEIGHT 2\nDEPTH 4\nMAXVAL 4095\nENDHDR\n", 64).pix_fmt ==
          "rgba64be");
    CHECK(only_image("P7\nWIDTH 4\nHEIGHT 2\nDEPTH 2\nMAXVAL 300\nENDHDR\n", 32).pix_fmt ==
          "ya16be");
    CHECK(
        only_image("P7\nWIDTH 4\nHEIGHT 2\nDEPTH 1\nMAXVAL 1\nTUPLTYPE BLACKANDWHITE\nENDHDR\n", 8)
            .maxval == 1);
    // A tuple type of one's own is read by its DEPTH, and TUPLTYPE lines add up.
    CHECK(only_image("P7\nWIDTH 4\nHEIGHT 2\nDEPTH 3\nMAXVAL 255\nTUPLTYPE MY\nTUPLTYPE OWN\n"
                     "ENDHDR\n",
                     24)
              .pix_fmt == "rgb24");
    CHECK(only_image("P7 \r\nWIDTH\t4\r\nHEIGHT 2\nDEPTH 3\nMAXVAL 255\nENDHDR \n", 24).pix_fmt ==
          "rgb24");
}

TEST_CASE("PNM images simply follow each other, of any of the three kinds") {
    const std::string ppm = "P6 4 2 255\n" + std::string(24, 'a');
    const std::string pam =
        "P7\nWIDTH 4\nHEIGHT 2\nDEPTH 3\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n" + std::string(24, 'b');
    Walk w = walk_both_ways(PNM, ppm + pam + ppm);
    CHECK(w.error.empty());
    CHECK(w.complete == 3);
    CHECK(w.payload == std::string(24, 'a') + std::string(24, 'b') + std::string(24, 'a'));
}

TEST_CASE("PNM: an image unlike the first is refused, naming both") {
    const std::string first = "P6 4 2 255\n" + std::string(24, 'a');
    CHECK(stream_error(PNM, first + "P6 4 3 255\n" + std::string(36, 'a')) ==
          "frame 2 at byte 35: it is 4x3 rgb24, but frame 1 was 4x2 rgb24; every frame must have "
          "the first frame's size and format (framepipe never scales frames)");
    CHECK(stream_error(PNM, first + "P5 4 2 255\n" + std::string(8, 'a')) ==
          "frame 2 at byte 35: it is 4x2 gray, but frame 1 was 4x2 rgb24; every frame must have "
          "the first frame's size and format (framepipe never scales frames)");
    CHECK(stream_error(PNM, first + "P6 4 2 1023\n" + std::string(48, 'a')) ==
          "frame 2 at byte 35: it is 4x2 rgb48be, maxval 1023, but frame 1 was 4x2 rgb24; every "
          "frame must have the first frame's size and format (framepipe never scales frames)");
}

TEST_CASE("PNM header errors name the frame, the byte and the field") {
    const std::pair<std::string, std::string> cases[] = {
        {"P4 4 2\n", "frame 1 at byte 0: expected a PGM, PPM or PAM header (P5, P6 or P7), "
                     "found \"P4\""},
        {"Q6 4 2 255\n", "frame 1 at byte 0: expected a PGM, PPM or PAM header (P5, P6 or P7), "
                         "found \"Q\""},
        {"P64 2 255\n", "frame 1 at byte 2: expected whitespace after the magic number P6, "
                        "found \"4\""},
        {"P6 0 2 255\n", "frame 1 at byte 3: the width '0' is not a whole number from 1 to 65535"},
        {"P6 4 65536 255\n",
         "frame 1 at byte 5: the height '65536' is not a whole number from 1 to 65535"},
        {"P6 4 2 0\n", "frame 1 at byte 7: the maxval '0' is not a whole number from 1 to 65535"},
        {"P6 4 2 65536\n",
         "frame 1 at byte 7: the maxval '65536' is not a whole number from 1 to 65535"},
        {"P6 4 -2 255\n", "frame 1 at byte 5: expected the height as a decimal number, found "
                          "\"-\""},
        {"P6 4 2 255x", "frame 1 at byte 10: expected the maxval as a decimal number, found "
                        "\"x\""},
        {"P6 4 00000000000000002 255\n",
         "frame 1 at byte 5: the height is not a whole number from 1 to 65535"},
        {"P7 WIDTH 4\n", "frame 1 at byte 2: expected a newline after P7, found \" WIDTH 4\""},
        {"P7\nWIDTH 4\nHEIGHT 2\nDEPTH 3\nENDHDR\n",
         "frame 1 at byte 0: the PAM header has no MAXVAL line before ENDHDR"},
        {"P7\nWIDTH 4\nWIDTH 5\n", "frame 1 at byte 11: the PAM header gives WIDTH twice"},
        {"P7\nWIDTH four\n",
         "frame 1 at byte 3: the PAM WIDTH \"four\" is not a whole number from 1 to 65535"},
        {"P7\nDEPTH 0\n",
         "frame 1 at byte 3: the PAM DEPTH \"0\" is not a whole number from 1 to 65535"},
        {"P7\nWIDTH 4\nHEIGHT 2\nDEPTH 5\nMAXVAL 255\nENDHDR\n",
         "frame 1 at byte 0: the PAM DEPTH is 5: framepipe reads 1 (grayscale), 2 (grayscale and "
         "alpha), 3 (RGB) and 4 (RGB and alpha)"},
        {"P7\nWIDTH 4\nHEIGHT 2\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB\nENDHDR\n",
         "frame 1 at byte 0: the PAM TUPLTYPE RGB has 3 samples a pixel, but DEPTH is 4"},
        {"P7\nWIDTH 4\nHEIGHT 2\nDEPTH 3\nMAXVAL 255\nTUPLTYPE GRAYSCALE\nENDHDR\n",
         "frame 1 at byte 0: the PAM TUPLTYPE GRAYSCALE has 1 sample a pixel, but DEPTH is 3"},
        {"P7\nWIDTH 4\nCOLOURS 3\n",
         "frame 1 at byte 11: unknown PAM header line \"COLOURS 3\" (pam(5) has WIDTH, HEIGHT, "
         "DEPTH, MAXVAL, TUPLTYPE and ENDHDR)"},
        {"P7\nTUPLTYPE " + std::string(1100, 'X'),
         "frame 1 at byte 3: a PAM header line is longer than 1024 bytes"},
        {"P7\nWIDTH 65535\nHEIGHT 65535\nDEPTH 4\nMAXVAL 65535\nENDHDR\n",
         "frame 1 at byte 0: images of 65535x65535 rgba64be are 34358689800 bytes, more than "
         "ffmpeg can read as one frame (2147483647)"},
    };
    for (const auto& [bytes, message] : cases) {
        INFO(bytes.substr(0, 60));
        CHECK(stream_error(PNM, bytes) == message);
    }
}

TEST_CASE("PNM: bytes between images, or a raster of the wrong size, stop at the next header") {
    const std::string first = "P5 4 2 255\n" + std::string(8, 'a');
    CHECK(stream_error(PNM, first + "\nP5 4 2 255\n" + std::string(8, 'a')) ==
          "frame 2 at byte 19: expected a PGM, PPM or PAM header (P5, P6 or P7), found \"\\n\": "
          "the stream is corrupt, or the previous image was not the size its header declares "
          "(images must follow each other with nothing between them)");
}

TEST_CASE("PNM ending inside an image keeps the ones before it and says how much arrived") {
    const std::string two =
        "P5 4 2 255\n" + std::string(8, 'a') + "P5 4 2 255\n" + std::string(8, 'b');
    Walk cut = walk_both_ways(PNM, two.substr(0, two.size() - 3));
    CHECK(cut.complete == 1);
    CHECK(cut.error == "the input ended inside frame 2, which starts at byte 19: only 5 of its 8 "
                       "bytes of pixels arrived");
    CHECK(stream_error(PNM, two.substr(0, 25)) ==
          "the input ended inside frame 2, which starts at byte 19: its header is incomplete");
    // Without the one whitespace byte after maxval, the header is not over.
    CHECK(stream_error(PNM, "P5 4 2 255") ==
          "the input ended inside frame 1, which starts at byte 0: its header is incomplete");
    CHECK(walk_both_ways(PNM, "").error.empty());
}

TEST_CASE("PNM samples below a full-scale maxval are stretched to full range, rounded") {
    std::vector<std::uint8_t> eight{0, 1, 2, 3, 4};
    rescale_pnm_samples(eight, 3);
    CHECK(eight == std::vector<std::uint8_t>{0, 85, 170, 255, 255});
    std::vector<std::uint8_t> one{0, 1};
    rescale_pnm_samples(one, 1);
    CHECK(one == std::vector<std::uint8_t>{0, 255});
    std::vector<std::uint8_t> ten{0x00, 0x00, 0x01, 0xff, 0x03, 0xff, 0x02, 0x00};
    rescale_pnm_samples(ten, 1023); // 0, 511, 1023, 512
    CHECK(ten == std::vector<std::uint8_t>{0x00, 0x00, 0x7f, 0xdf, 0xff, 0xff, 0x80, 0x20});
    std::vector<std::uint8_t> full{9, 200};
    rescale_pnm_samples(full, 255);
    CHECK(full == std::vector<std::uint8_t>{9, 200});
}
