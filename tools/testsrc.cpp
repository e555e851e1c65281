// framepipe-testsrc: writes a moving test pattern as raw frames to stdout, the way a simulation
// or plotting script would. The left half is a line plot (thin antialiased curves, grid, a moving
// marker; with --labels also tick labels and a frame counter in a small bitmap font), the right
// half a detailed, drifting natural-looking texture: the mix that shows both chroma blur on thin
// lines and bitrate starvation on detail.
#include "error.h"
#include "frame_geometry.h"
#include "pixel_format.h"
#include "rational.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace {

using namespace framepipe;

struct Rgb {
    double r, g, b; // 0..1
};

double hash2(int x, int y, int seed) {
    // Unsigned arithmetic: the wrap-around is the point of a hash, and signed overflow is UB.
    auto h = static_cast<std::uint32_t>(x) * 374761393u +
             static_cast<std::uint32_t>(y) * 668265263u +
             static_cast<std::uint32_t>(seed) * 1442695041u;
    h = (h ^ (h >> 13)) * 1274126177u;
    h ^= h >> 16;
    return static_cast<double>(h & 0xffffff) / static_cast<double>(0xffffff);
}

double value_noise(double x, double y, int seed) {
    int xi = static_cast<int>(std::floor(x)), yi = static_cast<int>(std::floor(y));
    double fx = x - xi, fy = y - yi;
    double sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
    double a = hash2(xi, yi, seed), b = hash2(xi + 1, yi, seed);
    double c = hash2(xi, yi + 1, seed), d = hash2(xi + 1, yi + 1, seed);
    return (a + (b - a) * sx) + ((c + (d - c) * sx) - (a + (b - a) * sx)) * sy;
}

double fractal(double x, double y, int seed) {
    double sum = 0, amp = 0.5, freq = 1;
    for (int o = 0; o < 5; ++o) {
        sum += amp * value_noise(x * freq, y * freq, seed + o);
        amp *= 0.5;
        freq *= 2.03;
    }
    return sum;
}

// A 5x7 bitmap font, just the characters the plot's labels use: one byte a row, low 5 bits,
// leftmost pixel in bit 4.
struct Glyph {
    char c;
    std::uint8_t rows[7];
};
constexpr Glyph kFont[] = {
    {'0', {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E}},
    {'1', {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E}},
    {'2', {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F}},
    {'3', {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E}},
    {'4', {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02}},
    {'5', {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E}},
    {'6', {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E}},
    {'7', {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08}},
    {'8', {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E}},
    {'9', {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C}},
    {'.', {0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C}},
    {'-', {0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00}},
    {'=', {0x00, 0x00, 0x1F, 0x00, 0x1F, 0x00, 0x00}},
    {'(', {0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02}},
    {')', {0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08}},
    {'A', {0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11}},
    {'E', {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F}},
    {'F', {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10}},
    {'I', {0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E}},
    {'M', {0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11}},
    {'N', {0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11}},
    {'R', {0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11}},
    {'S', {0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E}},
    {'T', {0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04}},
    {'X', {0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11}},
    {'Y', {0x11, 0x11, 0x0A, 0x04, 0x04, 0x04, 0x04}},
};

const Glyph* glyph(char c) {
    for (const auto& g : kFont)
        if (g.c == c)
            return &g;
    return nullptr; // a space, or a character the font lacks: left blank
}

class Renderer {
  public:
    Renderer(FrameSize size, double fps, bool labels)
        : w_(size.width), h_(size.height), fps_(fps), labels_(labels), rgb_(std::size_t{w_} * h_),
          tile_w_(w_ / 2 + kMargin), tile_h_(h_ + kMargin), coarse_(tile_w_ * tile_h_),
          fine_(coarse_.size()) {
        // The texture is noise computed once and then scrolled, so a frame costs a few
        // operations a pixel and the producer never becomes the bottleneck it is meant to measure.
        for (std::size_t y = 0; y < tile_h_; ++y)
            for (std::size_t x = 0; x < tile_w_; ++x) {
                coarse_[y * tile_w_ + x] = static_cast<float>(
                    fractal(static_cast<double>(x) / 40.0, static_cast<double>(y) / 40.0, 7));
                fine_[y * tile_w_ + x] = static_cast<float>(
                    fractal(static_cast<double>(x) / 9.0 + 13, static_cast<double>(y) / 9.0, 19));
            }
    }

    const std::vector<Rgb>& render(std::uint64_t index) {
        double t = static_cast<double>(index) / fps_;
        std::uint32_t split = w_ / 2;
        auto ox =
            static_cast<std::size_t>(std::lround((std::sin(t * 0.9) * 0.5 + 0.5) * (kMargin - 1)));
        auto oy =
            static_cast<std::size_t>(std::lround((std::cos(t * 0.6) * 0.5 + 0.5) * (kMargin - 1)));
        auto fx = static_cast<std::size_t>(index * 3 % kMargin);
        for (std::uint32_t y = 0; y < h_; ++y)
            for (std::uint32_t x = 0; x < w_; ++x)
                rgb_[std::size_t{y} * w_ + x] =
                    x < split ? plot_background(x, y) : texture(x - split, y, ox, oy, fx, t);
        draw_curves(split, t);
        if (labels_)
            draw_labels(split, index, t);
        return rgb_;
    }

  private:
    static constexpr std::size_t kMargin = 128;

    Rgb plot_background(std::uint32_t x, std::uint32_t y) const {
        bool grid = (x % 64 == 0) || (y % 48 == 0);
        double v = grid ? 0.85 : 1.0;
        return {v, v, v};
    }

    Rgb texture(std::uint32_t x, std::uint32_t y, std::size_t ox, std::size_t oy, std::size_t fx,
                double t) const {
        double n = coarse_[(y + oy) * tile_w_ + x + ox];
        double m = fine_[(y + (kMargin - 1 - oy)) * tile_w_ + (x + fx) % tile_w_];
        return {std::clamp(0.25 + 0.9 * n * (0.6 + 0.4 * m), 0.0, 1.0),
                std::clamp(0.35 + 0.6 * n * m + 0.1 * std::sin(x * 0.05 + t), 0.0, 1.0),
                std::clamp(0.15 + 0.5 * m, 0.0, 1.0)};
    }

    void blend(std::uint32_t x, std::uint32_t y, Rgb c, double alpha) {
        if (x >= w_ || y >= h_ || alpha <= 0)
            return;
        auto& p = rgb_[std::size_t{y} * w_ + x];
        p = {p.r + (c.r - p.r) * alpha, p.g + (c.g - p.g) * alpha, p.b + (c.b - p.b) * alpha};
    }

    void draw_curves(std::uint32_t width, double t) {
        const Rgb colours[] = {{0.85, 0.1, 0.1}, {0.1, 0.45, 0.9}, {0.1, 0.65, 0.2}};
        double mid = h_ / 2.0, amp = h_ * 0.35;
        for (int k = 0; k < 3; ++k) {
            auto f = [&](double x) {
                return mid -
                       amp * std::sin(x / (60.0 + 25 * k) + t * (1.0 + 0.4 * k)) * (0.5 + 0.15 * k);
            };
            for (std::uint32_t x = 0; x < width; ++x) {
                // A 1.2-pixel line, antialiased by vertical coverage.
                double y0 = f(x), y1 = f(x + 1.0);
                double lo = std::min(y0, y1) - 0.6, hi = std::max(y0, y1) + 0.6;
                for (auto y = static_cast<std::int64_t>(std::floor(lo));
                     y <= static_cast<std::int64_t>(std::ceil(hi)); ++y) {
                    double cover = std::clamp(std::min(hi, static_cast<double>(y) + 1.0) -
                                                  std::max(lo, static_cast<double>(y)),
                                              0.0, 1.0);
                    if (y >= 0)
                        blend(x, static_cast<std::uint32_t>(y), colours[k], cover);
                }
            }
        }
        // A moving marker on the first curve.
        double mx = std::fmod(t * 120.0, std::max(1.0, width - 1.0));
        double my = mid - amp * std::sin(mx / 60.0 + t) * 0.5;
        for (int dy = -6; dy <= 6; ++dy)
            for (int dx = -6; dx <= 6; ++dx) {
                double d = std::sqrt(dx * dx + dy * dy);
                double a = std::clamp(5.5 - d, 0.0, 1.0);
                blend(static_cast<std::uint32_t>(mx + dx), static_cast<std::uint32_t>(my + dy),
                      {0, 0, 0}, a);
            }
    }

    // Draws text with its top-left corner at (x, y), each font pixel a scale x scale square whose
    // edges are softened, so the glyphs are sharp but not aliased staircases.
    void draw_text(std::uint32_t x, std::uint32_t y, std::string_view text, std::uint32_t scale,
                   Rgb colour) {
        for (char c : text) {
            if (const Glyph* g = glyph(c))
                for (std::uint32_t row = 0; row < 7; ++row)
                    for (std::uint32_t col = 0; col < 5; ++col)
                        if ((g->rows[row] >> (4 - col)) & 1u)
                            for (std::uint32_t dy = 0; dy < scale; ++dy)
                                for (std::uint32_t dx = 0; dx < scale; ++dx)
                                    blend(x + col * scale + dx, y + row * scale + dy, colour,
                                          scale > 1 && (dx == 0 || dy == 0) ? 0.8 : 1.0);
            x += 6 * scale;
        }
    }

    // Tick labels on the grid, a title, and a frame counter that changes every frame.
    void draw_labels(std::uint32_t width, std::uint64_t index, double t) {
        const Rgb ink{0.15, 0.15, 0.2};
        double mid = h_ / 2.0, amp = h_ * 0.35;
        char text[64];
        for (std::uint32_t y = 48; y + 8 < h_; y += 48) {
            std::snprintf(text, sizeof text, "%.2f", (mid - y) / amp);
            draw_text(3, y + 2, text, 1, ink);
        }
        for (std::uint32_t x = 64; x + 20 < width; x += 64) {
            std::snprintf(text, sizeof text, "%u", x);
            draw_text(x + 2, h_ - 9, text, 1, ink);
        }
        draw_text(width / 2 - 60, 10, "SIN(X)", 2, ink);
        std::snprintf(text, sizeof text, "FRAME %05llu T=%.3fS",
                      static_cast<unsigned long long>(index), t);
        draw_text(60, 30, text, 2, {0.05, 0.05, 0.05});
    }

    std::uint32_t w_, h_;
    double fps_;
    bool labels_;
    std::vector<Rgb> rgb_;
    std::size_t tile_w_, tile_h_;
    std::vector<float> coarse_, fine_;
};

std::uint16_t to16(double v) {
    return static_cast<std::uint16_t>(std::lround(std::clamp(v, 0.0, 1.0) * 65535));
}
std::uint8_t to8(double v) {
    return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255));
}

void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v & 0xff));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
}

// Packs one pixel in the named layout (see pixel_format.cpp).
void pack(std::vector<std::uint8_t>& out, std::string_view fmt, Rgb c) {
    std::uint8_t r = to8(c.r), g = to8(c.g), b = to8(c.b), a = 255;
    double luma = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
    if (fmt == "rgba")
        out.insert(out.end(), {r, g, b, a});
    else if (fmt == "argb")
        out.insert(out.end(), {a, r, g, b});
    else if (fmt == "bgra")
        out.insert(out.end(), {b, g, r, a});
    else if (fmt == "abgr")
        out.insert(out.end(), {a, b, g, r});
    else if (fmt == "rgb0")
        out.insert(out.end(), {r, g, b, 0});
    else if (fmt == "bgr0")
        out.insert(out.end(), {b, g, r, 0});
    else if (fmt == "0rgb")
        out.insert(out.end(), {0, r, g, b});
    else if (fmt == "rgb24")
        out.insert(out.end(), {r, g, b});
    else if (fmt == "bgr24")
        out.insert(out.end(), {b, g, r});
    else if (fmt == "gray")
        out.push_back(to8(luma));
    else if (fmt == "gray16le")
        put16(out, to16(luma));
    else if (fmt == "grayf32le") {
        float f = static_cast<float>(luma);
        std::uint8_t bytes[4];
        std::memcpy(bytes, &f, 4);
        out.insert(out.end(), bytes, bytes + 4);
    } else if (fmt == "rgb48le") {
        put16(out, to16(c.r));
        put16(out, to16(c.g));
        put16(out, to16(c.b));
    } else if (fmt == "rgba64le") {
        put16(out, to16(c.r));
        put16(out, to16(c.g));
        put16(out, to16(c.b));
        put16(out, 65535);
    }
}

bool write_all(const std::uint8_t* data, std::size_t n) {
    while (n > 0) {
        ssize_t w = ::write(STDOUT_FILENO, data, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        data += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"framepipe-testsrc: write a moving test pattern as raw frames to stdout"};
    std::string size_text = "1280x720", fmt_text = "rgba", fps_text = "60", solid;
    std::uint64_t frames = 180, partial = 0;
    double stall = 0;
    bool labels = false;
    app.add_option("-s,--size", size_text, "frame size (default 1280x720)");
    app.add_option("--pix-fmt", fmt_text, "pixel layout (default rgba)");
    app.add_option("-r,--fps", fps_text, "frame rate the motion is timed for (default 60)");
    app.add_option("-n,--frames", frames, "number of frames (default 180)");
    app.add_option("--solid", solid,
                   "fill every frame with one colour, R,G,B in 0-255 (for colour tests)");
    app.add_option("--partial-bytes", partial,
                   "append this many bytes of an incomplete frame (for tests)");
    app.add_option("--stall", stall,
                   "after the frames, keep stdout open this many seconds (for tests)");
    app.add_flag("--labels", labels,
                 "draw tick labels, a title and a frame counter on the plot (the benchmark's "
                 "content; off by default so the tests' small frames stay uncluttered)");
    CLI11_PARSE(app, argc, argv);
    ::signal(SIGPIPE, SIG_IGN);
    try {
        auto size = parse_frame_size(size_text);
        const auto& fmt = parse_pixel_format(fmt_text);
        auto fps = parse_frame_rate(fps_text);
        std::optional<Rgb> fill;
        if (!solid.empty()) {
            int r = 0, g = 0, b = 0;
            if (std::sscanf(solid.c_str(), "%d,%d,%d", &r, &g, &b) != 3)
                throw Error(ExitCode::usage, "--solid takes R,G,B, e.g. 255,0,0");
            fill = Rgb{r / 255.0, g / 255.0, b / 255.0};
        }
        Renderer renderer(size, fps.value(), labels);
        std::vector<std::uint8_t> frame;
        frame.reserve(frame_bytes(size, fmt));
        for (std::uint64_t i = 0; i < frames; ++i) {
            frame.clear();
            if (fill) {
                for (std::size_t p = 0; p < std::size_t{size.width} * size.height; ++p)
                    pack(frame, fmt.name, *fill);
            } else {
                for (const auto& px : renderer.render(i))
                    pack(frame, fmt.name, px);
            }
            if (!write_all(frame.data(), frame.size()))
                return 0; // the consumer went away: nothing left to do
        }
        if (partial > 0) {
            std::vector<std::uint8_t> junk(partial, 0x80);
            write_all(junk.data(), junk.size());
        }
        if (stall > 0)
            ::usleep(static_cast<useconds_t>(stall * 1e6));
    } catch (const Error& e) {
        std::fprintf(stderr, "framepipe-testsrc: error: %s\n", e.what());
        return 2;
    }
    return 0;
}
