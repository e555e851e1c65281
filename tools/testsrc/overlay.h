// The thin things drawn over a frame (curves, marker, text), recorded as single-pixel blends in
// drawing order and then grouped by row. A frame is then finished one row at a time, in cache,
// while every pixel still receives its blends in the order they were drawn.
#pragma once

#include "frame_geometry.h"

#include <cstdint>
#include <span>
#include <vector>

namespace framepipe::testsrc {

struct Colour {
    float r, g, b; // 0..1
};

// One row of a frame as three planes of floats, 0..1.
struct ConstRowPlanes {
    const float* r;
    const float* g;
    const float* b;
};
struct RowPlanes {
    float* r;
    float* g;
    float* b;
    operator ConstRowPlanes() const { return {r, g, b}; }
};

class Overlay {
  public:
    struct Blend {
        std::uint32_t x, y;
        float alpha;
        Colour colour;
    };

    explicit Overlay(FrameSize size);

    // Forgets the previous frame's blends (the memory is kept).
    void clear();

    // Mixes `colour` into pixel (x, y) by `alpha`. Outside the frame or with alpha <= 0: nothing.
    void blend(std::int64_t x, std::int64_t y, Colour colour, double alpha);

    // Call once after the last blend() of a frame and before apply().
    void group_by_row();

    // The blends that fall on row y, in drawing order.
    std::span<const Blend> row(std::uint32_t y) const;

    // Applies the blends that fall on row y.
    void apply(std::uint32_t y, RowPlanes planes) const;

  private:
    std::uint32_t width_, height_;
    std::vector<Blend> drawn_, by_row_;
    std::vector<std::uint32_t> row_start_; // by_row_[row_start_[y] .. row_start_[y + 1]) is row y
};

} // namespace framepipe::testsrc
