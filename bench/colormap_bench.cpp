// How fast one core colours 1920x1080 frames (issue 19 asks for 240 frames/s of float32),
// beside a plain copy of the same input bytes as the memory-speed yardstick.
//
//   colormap_bench [FRAMES] [MAP]      (defaults: 240 frames, viridis)
//
// Prints one line per case: frames/s and input GB/s per CPU second of the thread, and the ratio
// to the copy, measured on the same buffers in alternating rounds (the median of 5).
#include "colormap/colorizer.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include <time.h>

using namespace framepipe;

namespace {

constexpr std::size_t kWidth = 1920;
constexpr std::size_t kHeight = 1080;
constexpr std::size_t kPixels = kWidth * kHeight;

// This thread's CPU time, not the wall clock: on a machine shared with other jobs, time spent
// waiting for the core is not the kernel's.
double seconds(const std::function<void()>& work) {
    auto now = [] {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
    };
    double start = now();
    work();
    return now() - start;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

// A smooth field with noise and a few NaN, like a simulation's output, over -1.5..2.5 so that
// some values fall outside the range 0:1 the bench colours with.
std::vector<std::byte> float_frame(unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> noise(-0.05f, 0.05f);
    std::vector<std::byte> bytes(kPixels * 4);
    for (std::size_t i = 0; i < kPixels; ++i) {
        float x = static_cast<float>(i % kWidth) / kWidth;
        float y = static_cast<float>(i / kWidth) / kHeight;
        float v = 4.0f * x * y - 1.5f + noise(rng);
        if (i % 9973 == 0)
            v = std::numeric_limits<float>::quiet_NaN();
        std::memcpy(bytes.data() + 4 * i, &v, 4);
    }
    return bytes;
}

std::vector<std::byte> integer_frame(std::size_t bytes_per_pixel, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<std::byte> bytes(kPixels * bytes_per_pixel);
    for (auto& b : bytes)
        b = static_cast<std::byte>(rng() & 0xff);
    return bytes;
}

void run_case(const char* label, const ColouringSetup& setup, std::size_t frames) {
    Colorizer colorizer(setup);
    auto in = setup.input == ScalarFormat::grayf32le
                  ? float_frame(1)
                  : integer_frame(colorizer.input_bytes_per_pixel(), 1);
    std::vector<std::byte> out(kPixels * colorizer.output_bytes_per_pixel());
    std::vector<std::byte> copy(in.size());
    std::vector<double> colour_times, copy_times;
    for (int round = 0; round < 5; ++round) {
        colour_times.push_back(seconds([&] {
            for (std::size_t f = 0; f < frames; ++f)
                colorizer.colour(in.data(), out.data(), kPixels);
        }));
        copy_times.push_back(seconds([&] {
            for (std::size_t f = 0; f < frames; ++f) {
                std::memcpy(copy.data(), in.data(), in.size());
                in[f % in.size()] = copy[(f * 7) % copy.size()]; // keep the copy observable
            }
        }));
    }
    double colour_s = median(colour_times);
    double copy_s = median(copy_times);
    auto n = static_cast<double>(frames);
    std::printf("%-36s %7.1f frames/s %6.2f GB/s in   copy %7.1f frames/s   colour/copy time "
                "%5.2fx\n",
                label, n / colour_s, n * static_cast<double>(in.size()) / colour_s / 1e9,
                n / copy_s, colour_s / copy_s);
}

} // namespace

int main(int argc, char** argv) {
    std::size_t frames = argc > 1 ? std::stoul(argv[1]) : 240;
    std::string map = argc > 2 ? argv[2] : "viridis";
    std::printf("colouring %zu frames of %zux%zu, one thread, map %s\n", frames, kWidth, kHeight,
                map.c_str());
    ColouringSetup setup;
    setup.map = &find_colormap(map);
    setup.range = {0, 1};
    run_case("grayf32le -> rgb24, range 0:1", setup, frames);
    setup.output = RgbLayout::rgba;
    run_case("grayf32le -> rgba, range 0:1", setup, frames);
    setup.output = RgbLayout::rgb24;
    setup.range = {-2.5, 7.3};
    run_case("grayf32le -> rgb24, range -2.5:7.3", setup, frames);
    setup.input = ScalarFormat::gray16le;
    setup.range = {0, 65535};
    run_case("gray16le -> rgb24", setup, frames);
    setup.input = ScalarFormat::gray;
    setup.range = {0, 255};
    run_case("gray -> rgb24", setup, frames);
    return 0;
}
