#include "plot.h"

#include "font.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

namespace framepipe::testsrc {

namespace {

struct Curve {
    double mid, amp; // vertical centre and amplitude in pixels
    int k;           // which of the three curves
    double t;

    double operator()(double x) const {
        return mid - amp * std::sin(x / (60.0 + 25 * k) + t * (1.0 + 0.4 * k)) * (0.5 + 0.15 * k);
    }
};

// A 1.2-pixel line, antialiased by vertical coverage.
void draw_curve(Overlay& overlay, PlotArea area, const Curve& f, Colour colour) {
    double y1 = f(0.0);
    for (std::uint32_t x = 0; x < area.width; ++x) {
        double y0 = y1;
        y1 = f(x + 1.0);
        double lo = std::min(y0, y1) - 0.6, hi = std::max(y0, y1) + 0.6;
        for (auto y = static_cast<std::int64_t>(std::floor(lo));
             y <= static_cast<std::int64_t>(std::ceil(hi)); ++y) {
            auto top = static_cast<double>(y);
            double cover = std::clamp(std::min(hi, top + 1.0) - std::max(lo, top), 0.0, 1.0);
            overlay.blend(x, y, colour, cover);
        }
    }
}

// A round dot travelling along the first curve.
void draw_marker(Overlay& overlay, PlotArea area, double t) {
    double mid = area.height / 2.0, amp = area.height * 0.35;
    double mx = std::fmod(t * 120.0, std::max(1.0, area.width - 1.0));
    double my = mid - amp * std::sin(mx / 60.0 + t) * 0.5;
    for (int dy = -6; dy <= 6; ++dy)
        for (int dx = -6; dx <= 6; ++dx) {
            double d = std::sqrt(dx * dx + dy * dy);
            overlay.blend(static_cast<std::int64_t>(mx + dx), static_cast<std::int64_t>(my + dy),
                          {0, 0, 0}, std::clamp(5.5 - d, 0.0, 1.0));
        }
}

// Draws text with its top-left corner at (x, y), each font pixel a scale x scale square whose
// edges are softened, so the glyphs are sharp but not aliased staircases.
void draw_text(Overlay& overlay, std::int64_t x, std::int64_t y, std::string_view text,
               unsigned scale, Colour colour) {
    for (char c : text) {
        if (const Glyph* g = find_glyph(c))
            for (unsigned row = 0; row < kGlyphHeight; ++row)
                for (unsigned col = 0; col < kGlyphWidth; ++col)
                    if ((g->rows[row] >> (kGlyphWidth - 1 - col)) & 1u)
                        for (unsigned dy = 0; dy < scale; ++dy)
                            for (unsigned dx = 0; dx < scale; ++dx)
                                overlay.blend(x + col * scale + dx, y + row * scale + dy, colour,
                                              scale > 1 && (dx == 0 || dy == 0) ? 0.8 : 1.0);
        x += kGlyphAdvance * scale;
    }
}

// Tick labels on the grid, a title, and a frame counter that changes every frame.
void draw_labels(Overlay& overlay, PlotArea area, std::uint64_t index, double t) {
    const Colour ink{0.15f, 0.15f, 0.2f};
    double mid = area.height / 2.0, amp = area.height * 0.35;
    char text[64];
    for (std::uint32_t y = 48; y + 8 < area.height; y += 48) {
        std::snprintf(text, sizeof text, "%.2f", (mid - y) / amp);
        draw_text(overlay, 3, y + 2, text, 1, ink);
    }
    for (std::uint32_t x = 64; x + 20 < area.width; x += 64) {
        std::snprintf(text, sizeof text, "%u", x);
        draw_text(overlay, x + 2, std::int64_t{area.height} - 9, text, 1, ink);
    }
    draw_text(overlay, std::int64_t{area.width / 2} - 60, 10, "SIN(X)", 2, ink);
    std::snprintf(text, sizeof text, "FRAME %05llu T=%.3fS", static_cast<unsigned long long>(index),
                  t);
    draw_text(overlay, 60, 30, text, 2, {0.05f, 0.05f, 0.05f});
}

} // namespace

void draw_plot(Overlay& overlay, PlotArea area, std::uint64_t index, double t, bool labels) {
    const Colour colours[] = {{0.85f, 0.1f, 0.1f}, {0.1f, 0.45f, 0.9f}, {0.1f, 0.65f, 0.2f}};
    for (int k = 0; k < 3; ++k)
        draw_curve(overlay, area, Curve{area.height / 2.0, area.height * 0.35, k, t}, colours[k]);
    draw_marker(overlay, area, t);
    if (labels)
        draw_labels(overlay, area, index, t);
}

} // namespace framepipe::testsrc
