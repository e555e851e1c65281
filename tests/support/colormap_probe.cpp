// Test-only: the colormap kernels between stdin and stdout, so that Python tests can compare
// them pixel by pixel with matplotlib, and render the docs' colormap strips.
//
//   colormap_probe colour MAP LO:HI NAN_COLOUR FORMAT ARITHMETIC LAYOUT  < values > pixels
//   colormap_probe range FORMAT FRAME_BYTES FRAMES                       < frames > "LO HI"
//   colormap_probe list                                                  > one name a line
//
// FORMAT is grayf32le, gray16le or gray; ARITHMETIC float32 (numpy 1.x) or float64 (numpy 2);
// LAYOUT rgb24 or rgba. Option errors print framepipe's message and exit 2.
#include "colormap/colorizer.h"
#include "colormap/range_tracker.h"
#include "error.h"

#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

using namespace framepipe;

namespace {

std::vector<std::byte> read_stdin() {
    std::vector<std::byte> data;
    std::byte buffer[65536];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, stdin)) > 0)
        data.insert(data.end(), buffer, buffer + n);
    return data;
}

ScalarFormat format_named(const std::string& name) {
    return colormap_input_format(parse_pixel_format(name));
}

int colour(char** argv) {
    ColouringSetup setup;
    setup.map = &find_colormap(argv[2]);
    auto range = parse_range(argv[3]);
    setup.input = format_named(argv[5]);
    setup.range = range.automatic ? default_range(setup.input) : range.fixed;
    setup.nan_colour = parse_nan_colour(argv[4]);
    setup.arithmetic =
        std::string(argv[6]) == "float32" ? NumpyArithmetic::float32 : NumpyArithmetic::float64;
    setup.output = std::string(argv[7]) == "rgba" ? RgbLayout::rgba : RgbLayout::rgb24;
    Colorizer colorizer(setup);
    auto in = read_stdin();
    std::size_t pixels = in.size() / colorizer.input_bytes_per_pixel();
    std::vector<std::byte> out(pixels * colorizer.output_bytes_per_pixel());
    colorizer.colour(in.data(), out.data(), pixels);
    std::fwrite(out.data(), 1, out.size(), stdout);
    return 0;
}

int track(char** argv) {
    RangeTracker tracker(format_named(argv[2]), static_cast<unsigned>(std::stoul(argv[4])));
    auto frame_bytes = std::stoul(argv[3]);
    auto in = read_stdin();
    for (std::size_t at = 0; at + frame_bytes <= in.size() && !tracker.complete();
         at += frame_bytes) {
        tracker.add(std::span(in).subspan(at, frame_bytes));
        tracker.end_frame();
    }
    if (auto range = tracker.range())
        std::printf("%.9g %.9g\n", range->lo, range->hi);
    else
        std::printf("none\n");
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    try {
        std::string mode = argc > 1 ? argv[1] : "";
        if (mode == "colour" && argc == 8)
            return colour(argv);
        if (mode == "range" && argc == 5)
            return track(argv);
        if (mode == "list" && argc == 2) {
            for (const auto& table : colormap_tables())
                std::cout << table.name << "\n";
            return 0;
        }
        std::cerr << "usage: colormap_probe colour MAP LO:HI NAN FORMAT ARITHMETIC LAYOUT\n"
                     "       colormap_probe range FORMAT FRAME_BYTES FRAMES\n"
                     "       colormap_probe list\n";
        return 2;
    } catch (const Error& e) {
        std::cerr << "framepipe: error: " << e.what() << "\n";
        return to_int(e.code());
    }
}
