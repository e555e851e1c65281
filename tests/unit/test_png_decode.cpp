// Decoding PNG images (libspng) into raw frames: every colour type and bit depth, with exact
// pixel values; the decoding feeder against real pipes, in order, with every refusal.
#include "feeder_test_support.h"
#include "png_test_support.h"
#include "stream_test_support.h"
#include "streams/png.h"
#include "streams/png_decode.h"
#include "streams/png_decode_feeder.h"
#include "test_support.h"

#include "catch.h"

#include <filesystem>

using namespace framepipe;
using namespace framepipe::testing;

namespace {

const std::string kSig(kPngSignature.begin(), kPngSignature.end());

std::string png_file(const std::string& header, const std::string& scanlines,
                     const std::string& middle = "") {
    return kSig + header + middle + png_chunk("IDAT", zlib_compress(scanlines)) +
           png_chunk("IEND", "");
}

// Decodes `file` into the format png_decoded_pix_fmt() gives for its IHDR.
std::string decode(const std::string& file, std::size_t frame_bytes) {
    const std::uint8_t colour = static_cast<std::uint8_t>(file[8 + 8 + 9]);
    const std::uint8_t depth = static_cast<std::uint8_t>(file[8 + 8 + 8]);
    const auto name = png_decoded_pix_fmt(colour, depth);
    REQUIRE(name);
    std::string out(frame_bytes, '\0');
    decode_png(as_bytes(file), parse_pixel_format(*name),
               {reinterpret_cast<std::uint8_t*>(out.data()), out.size()});
    return out;
}

std::string bytes(std::initializer_list<int> values) {
    std::string s;
    for (int v : values)
        s += static_cast<char>(v);
    return s;
}

std::string corpus(const std::string& name) {
    return read_file(std::filesystem::path(FRAMEPIPE_SOURCE_DIR) / "tests/fuzz/corpus/png" / name);
}

} // namespace

TEST_CASE("PNG decoding: greyscale of 1, 2, 4 bits is scaled to 0-255, 16 bits kept") {
    // One row each, filter byte 0 first.
    CHECK(decode(png_file(png_ihdr(8, 1, 1, 0), bytes({0, 0b10110001})), 8) ==
          bytes({255, 0, 255, 255, 0, 0, 0, 255}));
    CHECK(decode(png_file(png_ihdr(4, 1, 2, 0), bytes({0, 0b00011011})), 4) ==
          bytes({0, 85, 170, 255}));
    CHECK(decode(png_file(png_ihdr(2, 1, 4, 0), bytes({0, 0x7f})), 2) == bytes({0x77, 0xff}));
    CHECK(decode(png_file(png_ihdr(2, 1, 8, 0), bytes({0, 3, 200})), 2) == bytes({3, 200}));
    // gray16le: little-endian samples.
    CHECK(decode(png_file(png_ihdr(2, 1, 16, 0), bytes({0, 0x12, 0x34, 0xab, 0xcd})), 4) ==
          bytes({0x34, 0x12, 0xcd, 0xab}));
}

TEST_CASE("PNG decoding: RGB, palettes with alpha, grey with alpha, RGBA, 8 and 16 bits") {
    CHECK(decode(png_file(png_ihdr(2, 1, 8, 2), bytes({0, 1, 2, 3, 4, 5, 6})), 6) ==
          bytes({1, 2, 3, 4, 5, 6}));
    CHECK(decode(png_file(png_ihdr(1, 1, 16, 2), bytes({0, 1, 2, 3, 4, 5, 6})), 6) ==
          bytes({2, 1, 4, 3, 6, 5}));
    // A 2-bit palette of three colours; tRNS gives the first two alpha, the third stays opaque.
    const std::string plte = png_chunk("PLTE", bytes({10, 20, 30, 40, 50, 60, 70, 80, 90})) +
                             png_chunk("tRNS", bytes({0, 128}));
    CHECK(decode(png_file(png_ihdr(3, 1, 2, 3), bytes({0, 0b00011000}), plte), 12) ==
          bytes({10, 20, 30, 0, 40, 50, 60, 128, 70, 80, 90, 255}));
    CHECK(decode(png_file(png_ihdr(2, 1, 8, 4), bytes({0, 7, 100, 9, 200})), 8) ==
          bytes({7, 7, 7, 100, 9, 9, 9, 200}));
    CHECK(decode(png_file(png_ihdr(1, 1, 8, 6), bytes({0, 1, 2, 3, 4})), 4) == bytes({1, 2, 3, 4}));
    CHECK(decode(png_file(png_ihdr(1, 1, 16, 6), bytes({0, 1, 2, 3, 4, 5, 6, 7, 8})), 8) ==
          bytes({2, 1, 4, 3, 6, 5, 8, 7}));
}

TEST_CASE("PNG decoding: filtered rows and Adam7 interlacing") {
    // Sub filter: each byte adds the one a pixel to its left.
    CHECK(decode(png_file(png_ihdr(3, 1, 8, 0), bytes({1, 10, 5, 5})), 3) == bytes({10, 15, 20}));
    // 2x2 in Adam7: pass 1 holds (0,0), pass 6 (1,0), pass 7 the second row.
    CHECK(decode(png_file(png_ihdr(2, 2, 8, 0, 1), bytes({0, 1, 0, 2, 0, 3, 4})), 4) ==
          bytes({1, 2, 3, 4}));
    // netpbm's interlaced file decodes to what its rows say when not interlaced: compared with
    // the same picture from ffmpeg (a palette too) would need ffmpeg; here, it decodes whole.
    const std::string interlaced = corpus("netpbm-interlaced.png");
    const auto walk = walk_stream(StreamFormat::png, interlaced, 0);
    REQUIRE(walk.frames.size() == 1);
    const auto& d = walk.frames[0];
    CHECK_NOTHROW(decode(interlaced, std::size_t{d.size.width} * d.size.height * 4));
}

TEST_CASE("PNG decoding: what only decoding finds is refused with libspng's reason") {
    SECTION("image data that is not zlib") {
        const std::string file =
            kSig + png_ihdr(2, 1, 8, 0) + png_chunk("IDAT", "not zlib") + png_chunk("IEND", "");
        CHECK_THROWS_WITH(decode(file, 2),
                          Catch::StartsWith("the PNG's image data does not decode: ") &&
                              Catch::Contains("(libspng error ") &&
                              Catch::EndsWith("); the image is damaged, or not one PNG allows"));
    }
    SECTION("too few rows") {
        CHECK_THROWS_WITH(decode(png_file(png_ihdr(2, 2, 8, 0), bytes({0, 1, 2})), 4),
                          Catch::StartsWith("the PNG's image data does not decode: "));
    }
    SECTION("an unknown filter type") {
        CHECK_THROWS_WITH(decode(png_file(png_ihdr(2, 1, 8, 0), bytes({9, 1, 2})), 2),
                          Catch::StartsWith("the PNG's image data does not decode: "));
    }
    SECTION("a frame of another size than the image") {
        std::string out(5, '\0');
        CHECK_THROWS_WITH(decode_png(as_bytes(png_file(png_ihdr(2, 1, 8, 0), bytes({0, 1, 2}))),
                                     parse_pixel_format("gray"),
                                     {reinterpret_cast<std::uint8_t*>(out.data()), out.size()}),
                          "the PNG decodes to 2 bytes where a gray frame of its size has 5");
    }
}

namespace {

// Images end 8 bytes into IEND's chunk (its type, then its CRC).
std::vector<std::string> split_images(const std::string& stream) {
    std::vector<std::string> images;
    std::size_t begin = 0;
    for (auto at = stream.find("IEND"); at != std::string::npos; at = stream.find("IEND", at + 1)) {
        images.push_back(stream.substr(begin, at + 8 - begin));
        begin = at + 8;
    }
    return images;
}

Run feed_png(const std::string& stream, const std::string& pix_fmt, FrameSize size,
             unsigned threads = 2) {
    const std::vector<std::uint8_t> input(stream.begin(), stream.end());
    FrameFeederConfig config;
    config.threads = threads;
    return feed_through(input, [&](int fd) {
        // Small reads, so that chunks are split between them; the first bytes come as the start.
        return std::make_unique<PngDecodeFeeder>(
            fd, std::vector<std::uint8_t>(), parse_pixel_format(pix_fmt), size,
            std::vector<std::unique_ptr<FrameTransform>>(), config, 61);
    });
}

} // namespace

TEST_CASE("PNG decoding feeder: every corpus stream decoded whole, in order, on 1 and 3 threads") {
    const auto root = std::filesystem::path(FRAMEPIPE_SOURCE_DIR) / "tests/fuzz/corpus/png";
    for (const auto& entry : std::filesystem::directory_iterator(root)) {
        const std::string one = read_file(entry.path());
        const std::string stream = one + one + one;
        const auto walk = walk_stream(StreamFormat::png, stream, 0);
        REQUIRE(walk.error.empty());
        const auto& d = walk.frames.front();
        const std::size_t frame_bytes = std::size_t{d.size.width} * d.size.height *
                                        parse_pixel_format(d.pix_fmt).bytes_per_pixel;
        std::string expected;
        for (const auto& image : split_images(stream))
            expected += decode(image, frame_bytes);
        for (unsigned threads : {1u, 3u}) {
            INFO(entry.path().string() << " on " << threads << " threads");
            const auto run = feed_png(stream, d.pix_fmt, d.size, threads);
            CHECK(run.result == Feeder::Result::input_ended);
            CHECK(run.error.empty());
            CHECK(*run.frames == walk.complete);
            CHECK(run.delivered == stream.size());
            CHECK(std::string(run.output.begin(), run.output.end()) == expected);
        }
    }
}

TEST_CASE("PNG decoding feeder: a damaged or cut image ends the input, the frames before it stay") {
    const std::string one = corpus("ffmpeg-rgb24.png"); // two 16x8 images
    const auto images = split_images(one);
    REQUIRE(images.size() == 2);
    const std::string good = images[0];
    const std::size_t frame = 16 * 8 * 3;
    const std::string decoded = decode(good, frame);

    SECTION("a bad CRC, found by the walk") {
        std::string bad = good;
        bad[good.find("IDAT") + 6] ^= 0x40;
        const auto run = feed_png(good + good + bad + good, "rgb24", {16, 8});
        CHECK(run.result == Feeder::Result::input_failed);
        CHECK(*run.frames == 2);
        CHECK(run.delivered == 2 * good.size());
        CHECK(std::string(run.output.begin(), run.output.end()) == decoded + decoded);
        CHECK_THAT(run.error,
                   Catch::StartsWith("frame 3 at byte " +
                                     std::to_string(2 * good.size() + good.find("IDAT") - 4) +
                                     ": bad PNG chunk CRC in IDAT"));
    }
    SECTION("image data with good CRCs that does not decode") {
        const std::string broken =
            kSig + png_ihdr(16, 8, 8, 2) + png_chunk("IDAT", "not zlib") + png_chunk("IEND", "");
        const auto run = feed_png(good + good + good + broken + good, "rgb24", {16, 8});
        CHECK(run.result == Feeder::Result::input_failed);
        CHECK(*run.frames == 3);
        CHECK(run.delivered == 3 * good.size());
        CHECK(run.output.size() == 3 * frame);
        CHECK_THAT(run.error,
                   Catch::StartsWith("frame 4 at byte " + std::to_string(3 * good.size()) +
                                     ": the PNG's image data does not decode: "));
    }
    SECTION("a stream that ends inside an image") {
        const auto run = feed_png(good + good + good.substr(0, 100), "rgb24", {16, 8});
        CHECK(run.result == Feeder::Result::input_failed);
        CHECK(*run.frames == 2);
        CHECK(run.output.size() == 2 * frame);
        CHECK(run.error == "the input ended inside frame 3, which starts at byte " +
                               std::to_string(2 * good.size()) +
                               ": only 100 bytes of it arrived, inside its IDAT chunk");
    }
    SECTION("a damaged first image read whole with the first header") {
        // What read_stream_start read may hold all of image 1: the feeder must end the input
        // without a poll of the input, which would wait for a producer that has stopped.
        std::string bad = good;
        bad[good.find("IDAT") + 6] ^= 0x40;
        const std::vector<std::uint8_t> start(bad.begin(), bad.end());
        auto in = make_pipe();
        auto out = make_pipe();
        set_nonblocking(out.write.get());
        PngDecodeFeeder feeder(in.read.get(), start, parse_pixel_format("rgb24"), {16, 8},
                               std::vector<std::unique_ptr<FrameTransform>>(), FrameFeederConfig{});
        // The input pipe stays open and empty, as a producer that has not finished.
        CHECK(drive(feeder, in.read.get(), out.write.get()) == Feeder::Result::input_failed);
        CHECK(*feeder.frames_counted() == 0);
        CHECK_THAT(feeder.error(),
                   Catch::StartsWith("frame 1 at byte " + std::to_string(good.find("IDAT") - 4) +
                                     ": bad PNG chunk CRC in IDAT"));
    }
    SECTION("an image unlike the first") {
        const std::string other = corpus("ffmpeg-gray.png");
        const auto run = feed_png(good + other, "rgb24", {16, 8});
        CHECK(run.result == Feeder::Result::input_failed);
        CHECK(*run.frames == 1);
        CHECK_THAT(run.error, Catch::Contains("it is 16x8 gray, but frame 1 was 16x8 rgb24"));
    }
}
