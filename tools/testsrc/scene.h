// The test pattern: a line plot on a grid (left half) beside a detailed, drifting texture (right
// half). Scene holds what never moves, computed once and shared read-only by the render threads;
// each thread renders whole frames with a FrameRenderer of its own.
#pragma once

#include "overlay.h"
#include "pack.h"
#include "pixel_format.h"

#include <cstdint>
#include <span>
#include <vector>

namespace framepipe::testsrc {

struct SceneOptions {
    FrameSize size;
    double fps;
    bool labels;
    unsigned threads; // for the set-up: the noise tiles are computed in parallel
};

class Scene {
  public:
    explicit Scene(const SceneOptions& options);

    const SceneOptions& options() const { return options_; }
    std::uint32_t split() const { return options_.size.width / 2; } // where the texture starts

    // The grid background of the plot, `split()` pixels of one grey: a grid line's row, or any
    // other row.
    static bool is_grid_row(std::uint32_t y) { return y % 48 == 0; }
    const std::vector<float>& plot_row(bool grid) const { return grid ? grid_row_ : plain_row_; }

    // How far the texture's layers have drifted at frame `index`.
    struct Drift {
        std::size_t coarse_x, coarse_y, fine_x, fine_y;
    };
    Drift drift(std::uint64_t index) const;

    // The texture's row y at `drift`: `wave` is a per-column brightness ripple, the row's width.
    void texture_row(std::uint32_t y, Drift drift, const float* wave, RowPlanes out) const;

  private:
    static constexpr std::size_t kMargin = 128; // how far the texture can drift

    void fill_tiles();

    SceneOptions options_;
    std::vector<float> grid_row_, plain_row_;
    std::size_t tile_w_, tile_h_;
    std::vector<float> coarse_, fine_; // two noise layers, each tile_w_ x tile_h_
};

class FrameRenderer {
  public:
    FrameRenderer(const Scene& scene, const PixelFormat& format);

    // Writes frame `index` into out, which holds exactly one frame.
    void render(std::uint64_t index, std::span<std::uint8_t> out);

  private:
    void render_row(std::uint32_t y, Scene::Drift drift, std::uint8_t* out);

    const Scene& scene_;
    RowPacker packer_;
    std::size_t pixel_bytes_, row_bytes_;
    // The plot's background rows, packed once: a row then needs packing only where the overlay
    // drew on it.
    std::vector<std::uint8_t> packed_grid_row_, packed_plain_row_;
    Overlay overlay_;
    std::vector<float> r_, g_, b_, wave_;
};

} // namespace framepipe::testsrc
