#include "scene.h"

#include "noise.h"
#include "plot.h"

#include <algorithm>
#include <cmath>
#include <thread>

namespace framepipe::testsrc {

namespace {

// Runs fn(y) for y in [0, rows) on `threads` threads, each taking every threads-th row.
template <typename Fn>
void for_rows(unsigned threads, std::size_t rows, const Fn& fn) {
    std::vector<std::jthread> pool;
    for (unsigned t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            for (std::size_t y = t; y < rows; y += threads)
                fn(y);
        });
}

} // namespace

Scene::Scene(const SceneOptions& options)
    : options_(options), grid_row_(split(), 0.85f), plain_row_(split(), 1.0f),
      tile_w_(options.size.width / 2 + kMargin), tile_h_(options.size.height + kMargin),
      coarse_(tile_w_ * tile_h_), fine_(coarse_.size()) {
    for (std::size_t x = 0; x < plain_row_.size(); x += 64)
        plain_row_[x] = 0.85f;
    fill_tiles();
}

// The texture is noise computed once and then scrolled, so a frame costs a few operations a
// pixel and the producer never becomes the bottleneck it is meant to measure.
void Scene::fill_tiles() {
    for_rows(options_.threads, tile_h_, [&](std::size_t y) {
        for (std::size_t x = 0; x < tile_w_; ++x) {
            auto fx = static_cast<double>(x), fy = static_cast<double>(y);
            coarse_[y * tile_w_ + x] = static_cast<float>(fractal(fx / 40.0, fy / 40.0, 7));
            fine_[y * tile_w_ + x] = static_cast<float>(fractal(fx / 9.0 + 13, fy / 9.0, 19));
        }
    });
}

Scene::Drift Scene::drift(std::uint64_t index) const {
    double t = static_cast<double>(index) / options_.fps;
    auto ox =
        static_cast<std::size_t>(std::lround((std::sin(t * 0.9) * 0.5 + 0.5) * (kMargin - 1)));
    auto oy =
        static_cast<std::size_t>(std::lround((std::cos(t * 0.6) * 0.5 + 0.5) * (kMargin - 1)));
    return {ox, oy, static_cast<std::size_t>(index * 3 % kMargin), kMargin - 1 - oy};
}

// Every offset stays below kMargin and the tiles are kMargin larger than the texture, so each
// layer's row is one contiguous run: no wrapping, and the loops vectorise.
void Scene::texture_row(std::uint32_t y, Drift drift, const float* wave, RowPlanes out) const {
    const float* n = &coarse_[(y + drift.coarse_y) * tile_w_ + drift.coarse_x];
    const float* m = &fine_[(y + drift.fine_y) * tile_w_ + drift.fine_x];
    std::size_t width = options_.size.width - split();
    // One loop a channel: one loop for all three has too many pointers that might overlap for
    // the compiler to check them at run time, and is left scalar.
    for (std::size_t x = 0; x < width; ++x)
        out.r[x] = clamp_unit(0.25f + 0.9f * n[x] * (0.6f + 0.4f * m[x]));
    for (std::size_t x = 0; x < width; ++x)
        out.g[x] = clamp_unit(0.35f + 0.6f * n[x] * m[x] + wave[x]);
    for (std::size_t x = 0; x < width; ++x)
        out.b[x] = clamp_unit(0.15f + 0.5f * m[x]);
}

namespace {

std::vector<std::uint8_t> pack_grey_row(const RowPacker& packer, const std::vector<float>& grey,
                                        std::size_t pixel_bytes) {
    std::vector<std::uint8_t> bytes(grey.size() * pixel_bytes);
    packer.pack({grey.data(), grey.data(), grey.data()}, grey.size(), bytes.data());
    return bytes;
}

} // namespace

FrameRenderer::FrameRenderer(const Scene& scene, const PixelFormat& format)
    : scene_(scene), packer_(format), pixel_bytes_(format.bytes_per_pixel),
      row_bytes_(std::size_t{scene.options().size.width} * pixel_bytes_),
      packed_grid_row_(pack_grey_row(packer_, scene.plot_row(true), pixel_bytes_)),
      packed_plain_row_(pack_grey_row(packer_, scene.plot_row(false), pixel_bytes_)),
      overlay_(scene.options().size), r_(scene.options().size.width), g_(r_.size()), b_(r_.size()),
      wave_(r_.size() - scene.split()) {}

void FrameRenderer::render(std::uint64_t index, std::span<std::uint8_t> out) {
    const auto& options = scene_.options();
    double t = static_cast<double>(index) / options.fps;
    for (std::size_t x = 0; x < wave_.size(); ++x)
        wave_[x] = static_cast<float>(0.1 * std::sin(static_cast<double>(x) * 0.05 + t));
    overlay_.clear();
    draw_plot(overlay_, {scene_.split(), options.size.height}, index, t, options.labels);
    overlay_.group_by_row();
    auto drift = scene_.drift(index);
    for (std::uint32_t y = 0; y < options.size.height; ++y)
        render_row(y, drift, out.data() + y * row_bytes_);
}

void FrameRenderer::render_row(std::uint32_t y, Scene::Drift drift, std::uint8_t* out) {
    bool grid = Scene::is_grid_row(y);
    const auto& plot = scene_.plot_row(grid);
    const auto& packed_plot = grid ? packed_grid_row_ : packed_plain_row_;
    std::copy(plot.begin(), plot.end(), r_.begin());
    std::copy(plot.begin(), plot.end(), g_.begin());
    std::copy(plot.begin(), plot.end(), b_.begin());
    std::uint32_t split = scene_.split();
    RowPlanes texture{&r_[split], &g_[split], &b_[split]};
    scene_.texture_row(y, drift, wave_.data(), texture);
    overlay_.apply(y, {r_.data(), g_.data(), b_.data()});
    std::copy(packed_plot.begin(), packed_plot.end(), out);
    packer_.pack(texture, r_.size() - split, out + packed_plot.size());
    for (const auto& blend : overlay_.row(y))
        if (blend.x < split)
            packer_.pack({&r_[blend.x], &g_[blend.x], &b_[blend.x]}, 1,
                         out + blend.x * pixel_bytes_);
}

} // namespace framepipe::testsrc
