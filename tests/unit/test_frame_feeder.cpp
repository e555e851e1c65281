// The threaded frame stage against real pipes, driven the way the supervisor drives it.
#include "colormap/auto_range_feeder.h"
#include "fd.h"
#include "feeder_test_support.h"
#include "pipeline/frame_feeder.h"

#include "catch.h"
#include <chrono>
#include <cstdio>
#include <functional>
#include <numeric>
#include <poll.h>
#include <random>
#include <thread>
#include <unistd.h>

using namespace framepipe;
using framepipe::testing::drive;
using framepipe::testing::Run;
using namespace std::chrono_literals;

namespace {

// Adds `add` to every byte; bands of random length sleep a little so that they finish out of
// order.
class AddTransform : public FrameTransform {
  public:
    AddTransform(std::uint32_t rows, std::uint32_t row_bytes, std::uint8_t add)
        : rows_(rows), row_bytes_(row_bytes), add_(add) {}
    std::uint64_t input_bytes() const override { return std::uint64_t{rows_} * row_bytes_; }
    std::uint64_t output_bytes() const override { return input_bytes(); }
    std::uint32_t rows() const override { return rows_; }
    std::uint32_t row_alignment() const override { return 2; }
    void run(const std::uint8_t* in, std::uint8_t* out, std::uint32_t begin,
             std::uint32_t end) const override {
        if (begin % 2 != 0) // Catch's assertions are not for other threads: spoil the output
            return;
        if ((begin / 2) % 3 == 0)
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        for (std::size_t i = std::size_t{begin} * row_bytes_; i < std::size_t{end} * row_bytes_;
             ++i)
            out[i] = static_cast<std::uint8_t>(in[i] + add_);
    }

  private:
    std::uint32_t rows_, row_bytes_;
    std::uint8_t add_;
};

constexpr std::uint32_t kRows = 9, kRowBytes = 10, kFrame = kRows * kRowBytes;

std::unique_ptr<FrameFeeder> make_feeder(int input_fd, unsigned threads = 3) {
    std::vector<std::unique_ptr<FrameTransform>> chain;
    chain.push_back(std::make_unique<AddTransform>(kRows, kRowBytes, 1));
    chain.push_back(std::make_unique<AddTransform>(kRows, kRowBytes, 2));
    FrameFeederConfig config;
    config.threads = threads;
    return std::make_unique<FrameFeeder>(input_fd, std::move(chain), config);
}

using MakeFeeder = std::function<std::unique_ptr<Feeder>(int input_fd)>;
using framepipe::testing::Run;

Run feed_through(const std::vector<std::uint8_t>& input, unsigned threads = 3,
                 const MakeFeeder& make = {}) {
    return framepipe::testing::feed_through(
        input, [&](int fd) { return make ? make(fd) : make_feeder(fd, threads); });
}

std::vector<std::uint8_t> frames(std::size_t bytes) {
    std::vector<std::uint8_t> v(bytes);
    std::mt19937 rng(1);
    for (auto& b : v)
        b = static_cast<std::uint8_t>(rng());
    return v;
}

} // namespace

TEST_CASE("frames come out transformed by the whole chain, in input order") {
    const auto threads = GENERATE(1u, 4u);
    const auto input = frames(50 * kFrame);
    const auto run = feed_through(input, threads);
    CHECK(run.result == Feeder::Result::input_ended);
    REQUIRE(run.output.size() == input.size());
    for (std::size_t i = 0; i < input.size(); ++i)
        REQUIRE(run.output[i] == static_cast<std::uint8_t>(input[i] + 3));
    CHECK(run.delivered == input.size());
}

TEST_CASE("an incomplete last frame is counted but not sent, the whole frames before it are") {
    const auto input = frames(7 * kFrame + 33);
    const auto run = feed_through(input);
    CHECK(run.result == Feeder::Result::input_ended);
    CHECK(run.output.size() == 7 * kFrame);
    CHECK(run.delivered == 7 * kFrame + 33);
}

TEST_CASE("no input at all ends at once with nothing delivered") {
    const auto run = feed_through({});
    CHECK(run.result == Feeder::Result::input_ended);
    CHECK(run.output.empty());
    CHECK(run.delivered == 0);
}

TEST_CASE("ffmpeg closing its stdin is reported as output_closed") {
    auto in = make_pipe();
    auto out = make_pipe();
    set_nonblocking(out.write.get());
    out.read.reset();
    const auto input = frames(3 * kFrame);
    REQUIRE(::write(in.write.get(), input.data(), input.size()) == ssize_t(input.size()));
    auto feeder = make_feeder(in.read.get());
    CHECK(drive(*feeder, in.read.get(), out.write.get()) == Feeder::Result::output_closed);
    CHECK(feeder->bytes_delivered() == 0);
}

TEST_CASE("a stalled ffmpeg holds up reading after a few frames: memory stays bounded") {
    std::FILE* file = std::tmpfile();
    REQUIRE(file != nullptr);
    const auto input = frames(40 * kFrame);
    REQUIRE(std::fwrite(input.data(), 1, input.size(), file) == input.size());
    std::rewind(file);
    const int fd = ::fileno(file);
    auto out = make_pipe();
    set_nonblocking(out.write.get());
    // Fill ffmpeg's pipe first, so nothing the feeder writes fits.
    std::vector<char> junk(1 << 16, 0);
    while (::write(out.write.get(), junk.data(), junk.size()) > 0) {
    }
    auto feeder = make_feeder(fd);
    CHECK(drive(*feeder, fd, out.write.get()) == Feeder::Result::input_empty);
    CHECK(feeder->slots() <= 4);
    CHECK(::lseek(fd, 0, SEEK_CUR) == static_cast<off_t>(feeder->slots() * kFrame));
    CHECK(feeder->bytes_delivered() == 0);
    std::fclose(file);
}

TEST_CASE("the number of frames in flight follows the memory budget, within its bounds") {
    auto in = make_pipe();
    std::vector<std::unique_ptr<FrameTransform>> chain;
    chain.push_back(std::make_unique<AddTransform>(kRows, kRowBytes, 1));
    FrameFeederConfig config;
    config.memory_budget = 2 * kFrame * 10; // ten frames, two buffers each
    FrameFeeder roomy(in.read.get(), std::move(chain), config);
    CHECK(roomy.slots() == config.max_slots);
    chain.push_back(std::make_unique<AddTransform>(kRows, kRowBytes, 1));
    config.memory_budget = 1;
    FrameFeeder tight(in.read.get(), std::move(chain), config);
    CHECK(tight.slots() == config.min_slots);
}

namespace {

// An AutoRangeFeeder over 8-bit values whose colouring stage adds the range's top to every byte,
// so the output shows which range each frame went through.
struct AutoRun {
    Run run;
    AutoRangeFeeder::Found found;
};

AutoRun feed_auto(const std::vector<std::uint8_t>& input, unsigned frames) {
    AutoRun a;
    a.run = feed_through(input, 2, [&](int fd) {
        return std::make_unique<AutoRangeFeeder>(
            fd, ScalarFormat::gray, kFrame, frames, ValueRange{0, 255},
            [&a, fd](const AutoRangeFeeder::Found& found) {
                a.found = found;
                std::vector<std::unique_ptr<FrameTransform>> chain;
                chain.push_back(std::make_unique<AddTransform>(
                    kRows, kRowBytes, static_cast<std::uint8_t>(found.range.hi)));
                return std::make_unique<FrameFeeder>(fd, std::move(chain), FrameFeederConfig{});
            });
    });
    return a;
}

} // namespace

TEST_CASE("auto range: the held frames and all later ones go through the range of the first N") {
    auto input = frames(20 * kFrame);
    for (auto& b : input)
        b = static_cast<std::uint8_t>(b % 50);
    input[kFrame + 5] = 77;  // within the first three frames: the top of the range
    input[5 * kFrame] = 200; // after them: no effect on the range
    const auto a = feed_auto(input, 3);
    CHECK(a.run.result == Feeder::Result::input_ended);
    CHECK(a.found.frames == 3);
    CHECK(a.found.range == ValueRange{0, 77});
    REQUIRE(a.run.output.size() == input.size());
    for (std::size_t i = 0; i < input.size(); ++i)
        REQUIRE(a.run.output[i] == static_cast<std::uint8_t>(input[i] + 77));
    CHECK(a.run.delivered == input.size());
}

TEST_CASE("auto range: an input ending before N frames gives the range of what came") {
    auto input = frames(2 * kFrame + 10);
    const auto a = feed_auto(input, 5);
    CHECK(a.run.result == Feeder::Result::input_ended);
    CHECK(a.found.frames == 2);
    CHECK(a.run.output.size() == 2 * kFrame);
    CHECK(a.run.delivered == 2 * kFrame + 10);
}

TEST_CASE("auto range: no input at all still ends, with nothing delivered") {
    const auto a = feed_auto({}, 2);
    CHECK(a.run.result == Feeder::Result::input_ended);
    CHECK(a.found.frames == 0);
    CHECK(a.run.delivered == 0);
}
