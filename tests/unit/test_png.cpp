// PNG streams: chunk walking to IEND, length and CRC checks, IHDR rules, and every refusal.
#include "png_test_support.h"
#include "stream_test_support.h"
#include "streams/png.h"
#include "streams/png_decode.h"
#include "test_support.h"

#include "catch.h"

using namespace framepipe;
using namespace framepipe::testing;

namespace {

const auto PNG = StreamFormat::png;
const std::string kSig(kPngSignature.begin(), kPngSignature.end());

std::string corpus(const std::string& name) {
    return read_file(std::string(FRAMEPIPE_SOURCE_DIR) + "/tests/fuzz/corpus/png/" + name);
}

// Well-formed chunks, though not a decodable image: the walk does not decode.
std::string png(const std::string& header = png_ihdr(4, 2), const std::string& middle = "") {
    return kSig + header + middle + png_chunk("IDAT", "pixels") + png_chunk("IEND", "");
}

} // namespace

TEST_CASE("PNG from ffmpeg, matplotlib and netpbm: each image found whole, every byte passed on") {
    const std::pair<const char*, const char*> cases[] = {
        {"ffmpeg-rgb24.png", "rgb24"},
        {"ffmpeg-rgba.png", "rgba"},
        {"ffmpeg-gray.png", "gray"},
        {"ffmpeg-gray16be.png", "gray16le"},
        {"ffmpeg-pal8.png", "rgba"},
        {"ffmpeg-rgb48be.png", "rgb48le"},
        {"ffmpeg-ya8.png", "rgba"},
        {"ffmpeg-monob.png", "gray"},
        // Two savefig(f, format='png') calls into one file, as into a pipe (matplotlib 3.6).
        {"matplotlib-savefig.png", "rgba"},
    };
    for (const auto& [file, pix_fmt] : cases) {
        INFO(file);
        const std::string bytes = corpus(file);
        Walk w = walk_both_ways(PNG, bytes);
        CHECK(w.error.empty());
        CHECK(w.complete == 2);
        REQUIRE(w.frames.size() == 2);
        CHECK(w.frames[0].size == FrameSize{16, 8});
        CHECK(w.frames[0].pix_fmt == pix_fmt);
        CHECK(w.payload == bytes);
        CHECK(w.framing.empty());
    }
    Walk interlaced = walk_both_ways(PNG, corpus("netpbm-interlaced.png"));
    CHECK(interlaced.complete == 1);
    CHECK(interlaced.frames.at(0).pix_fmt == "rgba"); // pnmtopng picked a palette
}

TEST_CASE("PNG: every colour type and bit depth the specification allows, and its decoded format") {
    const std::tuple<int, int, const char*> allowed[] = {
        {0, 1, "gray"},      {0, 2, "gray"},  {0, 4, "gray"},      {0, 8, "gray"},
        {0, 16, "gray16le"}, {2, 8, "rgb24"}, {2, 16, "rgb48le"},  {3, 1, "rgba"},
        {3, 2, "rgba"},      {3, 4, "rgba"},  {3, 8, "rgba"},      {4, 8, "rgba"},
        {4, 16, "rgba64le"}, {6, 8, "rgba"},  {6, 16, "rgba64le"},
    };
    for (const auto& [colour, depth, pix_fmt] : allowed) {
        INFO(colour << "/" << depth);
        const std::string plte = colour == 3 ? png_chunk("PLTE", "\1\2\3") : "";
        Walk w = walk_both_ways(PNG, png(png_ihdr(4, 2, depth, colour, 1), plte));
        CHECK(w.error.empty());
        REQUIRE(w.frames.size() == 1);
        CHECK(w.frames[0].pix_fmt == pix_fmt);
    }
    CHECK(!png_decoded_pix_fmt(2, 4));
    CHECK(!png_decoded_pix_fmt(5, 8));
    CHECK(!png_decoded_pix_fmt(3, 16));
    CHECK(!png_decoded_pix_fmt(0, 3));
}

TEST_CASE("PNG: ancillary chunks of any kind pass, frames follow each other") {
    const std::string one = png(png_ihdr(4, 2), png_chunk("tEXt", "Software\0matplotlib") +
                                                    png_chunk("pHYs", std::string(9, '\0')) +
                                                    png_chunk("zzZz", "anything"));
    Walk w = walk_both_ways(PNG, one + one + one);
    CHECK(w.error.empty());
    CHECK(w.complete == 3);
    CHECK(w.payload == one + one + one);
}

TEST_CASE("PNG: an image unlike the first is refused, naming both") {
    const std::string first = png();
    CHECK(stream_error(PNG, first + png(png_ihdr(4, 3))) ==
          "frame 2 at byte " + std::to_string(first.size()) +
              ": it is 4x3 rgb24, but frame 1 was 4x2 rgb24; every frame must have the first "
              "frame's size and format (framepipe never scales frames)");
    CHECK(stream_error(PNG, first + png(png_ihdr(4, 2, 8, 6))) ==
          "frame 2 at byte " + std::to_string(first.size()) +
              ": it is 4x2 rgba, but frame 1 was 4x2 rgb24; every frame must have the first "
              "frame's size and format (framepipe never scales frames)");
}

TEST_CASE("PNG chunk errors name the frame, the chunk's byte offset and the chunk") {
    std::string bad_crc = png();
    bad_crc[8 + 25 + 12] ^= 1; // a byte of IDAT's data
    CHECK(stream_error(PNG, bad_crc) ==
          "frame 1 at byte 33: bad PNG chunk CRC in IDAT (stored 0x4f2584a8, computed "
          "0x563eb5e9): the image was damaged on its way");
    const std::string second = png() + bad_crc;
    CHECK(stream_error(PNG, second).starts_with("frame 2 at byte 96: bad PNG chunk CRC in IDAT"));

    const std::pair<std::string, std::string> cases[] = {
        {"\x89PNG\r\n\x1a\r" + png_ihdr(4, 2),
         "frame 1 at byte 0: expected the PNG signature (\\x89PNG\\r\\n\\x1a\\n), found "
         "\"\\x89PNG\\x0d\\n\\x1a\\x0d\""},
        {kSig + png_chunk("IDAT", "x"), "frame 1 at byte 8: the first PNG chunk is IDAT, not IHDR"},
        {kSig + png_ihdr(4, 2) + png_ihdr(4, 2),
         "frame 1 at byte 33: the PNG has a second IHDR chunk"},
        {kSig + png_chunk("IHDR", std::string(12, '\1')),
         "frame 1 at byte 8: the PNG's IHDR chunk is 12 bytes long, not 13"},
        {kSig + png_ihdr(4, 2) + png_chunk("IDAT", "x") + png_chunk("IEND", "x"),
         "frame 1 at byte 46: the PNG's IEND chunk is 1 bytes long, not 0"},
        {kSig + png_ihdr(4, 2) + png_chunk("IEND", ""),
         "frame 1 at byte 33: the PNG ends (IEND) without any image data (IDAT)"},
        {kSig + png_ihdr(4, 2, 8, 3) + png_chunk("IDAT", "x"),
         "frame 1 at byte 33: the PNG has a palette colour type but no PLTE chunk before its "
         "IDAT"},
        {kSig + png_ihdr(4, 2) + png_chunk("ABCD", "x"),
         "frame 1 at byte 33: unknown critical PNG chunk ABCD: no PNG decoder can read this image"},
        {kSig + png_ihdr(4, 2) + std::string("\0\0\0\1ID1T", 8),
         "frame 1 at byte 33: not a PNG chunk type: \"ID1T\" (the image is corrupt, or a chunk "
         "before it has a wrong length)"},
        {kSig + png_ihdr(4, 2) + std::string("\x80\0\0\0IDAT", 8),
         "frame 1 at byte 33: the PNG chunk IDAT claims a length of 2147483648 bytes, above the "
         "2^31-1 allowed"},
        {kSig + png_ihdr(0, 2),
         "frame 1 at byte 8: the PNG's IHDR gives a size of 0x2: both must be "
         "at least 1"},
        {kSig + png_ihdr(70000, 2), "frame 1 at byte 8: the PNG is 70000x2, larger than the 65535 "
                                    "pixels a side framepipe takes"},
        {kSig + png_ihdr(4, 2, 16, 3), "frame 1 at byte 8: the PNG's IHDR gives colour type 3 with "
                                       "bit depth 16, a pair the PNG specification does not allow"},
        {kSig + png_ihdr(4, 2, 8, 2, 0, 1),
         "frame 1 at byte 8: the PNG's IHDR gives compression method 1 and filter method 0; PNG "
         "defines only 0 for both"},
        {kSig + png_ihdr(4, 2, 8, 2, 2),
         "frame 1 at byte 8: the PNG's IHDR gives interlace method 2; PNG defines 0 (none) and 1 "
         "(Adam7)"},
        {png() + "\n" + png(),
         "frame 2 at byte 63: expected the PNG signature (\\x89PNG\\r\\n\\x1a\\n), found \"\\n\": "
         "PNG images must follow each other with nothing between them"},
    };
    for (const auto& [bytes, message] : cases) {
        INFO(bytes.size());
        CHECK(stream_error(PNG, bytes) == message);
    }
}

TEST_CASE("PNG ending inside an image keeps the ones before it and says where it stopped") {
    const std::string one = png();
    CHECK(walk_both_ways(PNG, one + one.substr(0, 5)).error ==
          "the input ended inside frame 2, which starts at byte 63: only 5 bytes of it arrived, "
          "inside its signature");
    CHECK(stream_error(PNG, one + one.substr(0, 36)) ==
          "the input ended inside frame 2, which starts at byte 63: only 36 bytes of it arrived, "
          "inside a chunk header");
    CHECK(stream_error(PNG, one + one.substr(0, 45)) ==
          "the input ended inside frame 2, which starts at byte 63: only 45 bytes of it arrived, "
          "inside its IDAT chunk");
    CHECK(stream_error(PNG, one.substr(0, 33)) ==
          "the input ended inside frame 1, which starts at byte 0: only 33 bytes of it arrived, "
          "and no IEND chunk ended it");
    CHECK(walk_both_ways(PNG, one + one).complete == 2);
}
