// The stream feeder against real pipes, on the real producers' bytes of the parsers' corpus:
// what reaches ffmpeg, and the frame accounting, whole and cut short.
#include "feeder_test_support.h"
#include "stream_test_support.h"
#include "streams/pnm.h"
#include "streams/stream_feeder.h"
#include "test_support.h"

#include "catch.h"
#include <filesystem>

using namespace framepipe;
using framepipe::testing::feed_through;
using framepipe::testing::read_file;
using framepipe::testing::Run;

namespace {

Run feed_stream(StreamFormat format, const std::string& bytes) {
    const std::vector<std::uint8_t> input(bytes.begin(), bytes.end());
    // Small reads, so that headers and chunks are split between them.
    return feed_through(input, [&](int fd) {
        return std::make_unique<StreamFeeder>(fd, format, std::vector<std::uint8_t>(), 61);
    });
}

std::string output_of(const Run& run) {
    return {run.output.begin(), run.output.end()};
}

void check_against_walk(StreamFormat format, const std::string& bytes) {
    const auto walk = testing::walk_stream(format, bytes, 0);
    const auto run = feed_stream(format, bytes);
    CHECK(run.result ==
          (walk.error.empty() ? Feeder::Result::input_ended : Feeder::Result::input_failed));
    CHECK(run.error == walk.error);
    REQUIRE(run.frames);
    CHECK(*run.frames == walk.complete);
    std::string expected = walk.payload;
    if (!walk.frames.empty())
        rescale_pnm_samples(
            std::span(reinterpret_cast<std::uint8_t*>(expected.data()), expected.size()),
            walk.frames.front().maxval);
    // Rescaling holds back the first byte of a two-byte sample until its second arrives.
    CHECK(expected.starts_with(output_of(run)));
    CHECK(expected.size() - run.output.size() <= 1);
}

} // namespace

TEST_CASE("stream feeder: every corpus stream, whole and cut short, as the parser walks it") {
    // PNG streams are decoded by their own feeder (test_png_decode.cpp).
    for (auto [dir, format] : {std::pair{"y4m", StreamFormat::y4m}, {"pnm", StreamFormat::pnm}}) {
        const auto root = std::filesystem::path(FRAMEPIPE_SOURCE_DIR) / "tests/fuzz/corpus" / dir;
        for (const auto& entry : std::filesystem::directory_iterator(root)) {
            const std::string bytes = read_file(entry.path());
            // Twice over, so that every file has more than one frame.
            for (const std::string& input :
                 {bytes + bytes, (bytes + bytes).substr(0, bytes.size() * 2 - 10),
                  bytes.substr(0, bytes.size() / 2), bytes.substr(0, 40)}) {
                INFO(entry.path().string() << ", " << input.size() << " bytes");
                check_against_walk(format, input);
            }
        }
    }
}

TEST_CASE("stream feeder: the start read for detection is fed first") {
    const std::string y4m = "YUV4MPEG2 W2 H2 F25:1 Cmono\nFRAME\nabcdFRAME\nefgh";
    const auto all = testing::as_bytes(y4m);
    const std::vector<std::uint8_t> input(all.begin() + 10, all.end());
    const auto run = feed_through(input, [&](int fd) {
        return std::make_unique<StreamFeeder>(
            fd, StreamFormat::y4m, std::vector<std::uint8_t>(all.begin(), all.begin() + 10));
    });
    CHECK(run.result == Feeder::Result::input_ended);
    CHECK(output_of(run) == "abcdefgh");
    CHECK(*run.frames == 2);
    CHECK(run.delivered == y4m.size());
}
