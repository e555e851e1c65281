// framepipe-testsrc: writes a moving test pattern as raw frames to stdout, the way a simulation
// or plotting script would. The left half is a line plot (thin antialiased curves, grid, a moving
// marker; with --labels also tick labels and a frame counter in a small bitmap font), the right
// half a detailed, drifting natural-looking texture: the mix that shows both chroma blur on thin
// lines and bitrate starvation on detail. Frames are rendered on several threads and written in
// order, fast enough that the demo and the benchmark measure framepipe and ffmpeg, not this.
#include "error.h"
#include "frame_geometry.h"
#include "ordered_frames.h"
#include "output.h"
#include "pack.h"
#include "pixel_format.h"
#include "rational.h"
#include "scene.h"

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

using namespace framepipe;
using namespace framepipe::testsrc;

struct Options {
    std::string size = "1280x720", pix_fmt = "rgba", fps = "60", solid;
    std::uint64_t frames = 180, partial_bytes = 0;
    double stall = 0;
    bool labels = false;
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
};

void add_options(CLI::App& app, Options& o) {
    app.add_option("-s,--size", o.size, "frame size (default 1280x720)");
    app.add_option("--pix-fmt", o.pix_fmt, "pixel layout (default rgba)");
    app.add_option("-r,--fps", o.fps, "frame rate the motion is timed for (default 60)");
    app.add_option("-n,--frames", o.frames, "number of frames (default 180)");
    app.add_option("--solid", o.solid,
                   "fill every frame with one colour, R,G,B in 0-255 (for colour tests)");
    app.add_option("--partial-bytes", o.partial_bytes,
                   "append this many bytes of an incomplete frame (for tests)");
    app.add_option("--stall", o.stall,
                   "after the frames, keep stdout open this many seconds (for tests)");
    app.add_flag("--labels", o.labels,
                 "draw tick labels, a title and a frame counter on the plot (the benchmark's "
                 "content; off by default so the tests' small frames stay uncluttered)");
    app.add_option("-j,--threads", o.threads,
                   "render on this many threads (default: one per CPU, here " +
                       std::to_string(o.threads) + "); the output is the same for any number")
        ->check(CLI::Range(1u, 64u));
}

std::optional<Colour> parse_solid(const std::string& text) {
    if (text.empty())
        return std::nullopt;
    int r = 0, g = 0, b = 0;
    if (std::sscanf(text.c_str(), "%d,%d,%d", &r, &g, &b) != 3)
        throw Error(ExitCode::usage, "--solid takes R,G,B, e.g. 255,0,0");
    return Colour{static_cast<float>(r / 255.0), static_cast<float>(g / 255.0),
                  static_cast<float>(b / 255.0)};
}

// One frame of a single colour, packed once: every frame of --solid is a copy of it.
std::vector<std::uint8_t> solid_frame(FrameSize size, const PixelFormat& format, Colour c) {
    std::vector<float> r(size.width, c.r), g(size.width, c.g), b(size.width, c.b);
    std::size_t row_bytes = std::size_t{size.width} * format.bytes_per_pixel;
    std::vector<std::uint8_t> frame(row_bytes * size.height);
    RowPacker(format).pack({r.data(), g.data(), b.data()}, size.width, frame.data());
    for (std::size_t y = 1; y < size.height; ++y)
        std::memcpy(&frame[y * row_bytes], frame.data(), row_bytes);
    return frame;
}

// Writes the frames; false if the reader went away before the last one.
bool write_frames(const Options& o, FrameSize size, const PixelFormat& format, double fps) {
    auto bytes = frame_bytes(size, format);
    auto deliver = [](std::span<const std::uint8_t> frame) {
        return write_stdout(frame.data(), frame.size());
    };
    if (auto fill = parse_solid(o.solid)) {
        auto frame = solid_frame(size, format, *fill);
        return render_in_order(
            1, o.frames, bytes,
            [&](unsigned, std::uint64_t, std::span<std::uint8_t> out) {
                std::memcpy(out.data(), frame.data(), frame.size());
            },
            deliver);
    }
    Scene scene({size, fps, o.labels, o.threads});
    std::vector<std::unique_ptr<FrameRenderer>> renderers;
    for (unsigned w = 0; w < o.threads; ++w)
        renderers.push_back(std::make_unique<FrameRenderer>(scene, format));
    return render_in_order(
        o.threads, o.frames, bytes,
        [&](unsigned worker, std::uint64_t index, std::span<std::uint8_t> out) {
            renderers[worker]->render(index, out);
        },
        deliver);
}

void finish(const Options& o) {
    if (o.partial_bytes > 0) {
        std::vector<std::uint8_t> junk(o.partial_bytes, 0x80);
        write_stdout(junk.data(), junk.size());
    }
    if (o.stall > 0)
        ::usleep(static_cast<useconds_t>(o.stall * 1e6));
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"framepipe-testsrc: write a moving test pattern as raw frames to stdout"};
    Options o;
    add_options(app, o);
    CLI11_PARSE(app, argc, argv);
    ::signal(SIGPIPE, SIG_IGN);
    try {
        auto size = parse_frame_size(o.size);
        const auto& format = parse_pixel_format(o.pix_fmt);
        auto fps = parse_frame_rate(o.fps);
        widen_stdout_pipe();
        if (!write_frames(o, size, format, fps.value()))
            return 0; // the consumer went away: nothing left to do
        finish(o);
    } catch (const Error& e) {
        std::fprintf(stderr, "framepipe-testsrc: error: %s\n", e.what());
        return 2;
    }
    return 0;
}
