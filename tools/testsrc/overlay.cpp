#include "overlay.h"

#include <algorithm>

namespace framepipe::testsrc {

Overlay::Overlay(FrameSize size)
    : width_(size.width), height_(size.height), row_start_(std::size_t{size.height} + 1) {}

void Overlay::clear() {
    drawn_.clear();
}

void Overlay::blend(std::int64_t x, std::int64_t y, Colour colour, double alpha) {
    if (x < 0 || y < 0 || x >= width_ || y >= height_ || alpha <= 0)
        return;
    drawn_.push_back({static_cast<std::uint32_t>(x), static_cast<std::uint32_t>(y),
                      static_cast<float>(alpha), colour});
}

// A counting sort: stable, so blends on one pixel keep their drawing order.
void Overlay::group_by_row() {
    std::fill(row_start_.begin(), row_start_.end(), 0u);
    for (const auto& b : drawn_)
        ++row_start_[b.y + 1];
    for (std::size_t y = 1; y < row_start_.size(); ++y)
        row_start_[y] += row_start_[y - 1];
    by_row_.resize(drawn_.size());
    for (const auto& b : drawn_)
        by_row_[row_start_[b.y]++] = b;
    // Each row's cursor now sits at the next row's start: shift them back into place.
    for (std::size_t y = row_start_.size() - 1; y > 0; --y)
        row_start_[y] = row_start_[y - 1];
    row_start_[0] = 0;
}

std::span<const Overlay::Blend> Overlay::row(std::uint32_t y) const {
    return {by_row_.data() + row_start_[y], by_row_.data() + row_start_[y + 1]};
}

void Overlay::apply(std::uint32_t y, RowPlanes planes) const {
    for (const Blend& b : row(y)) {
        planes.r[b.x] += (b.colour.r - planes.r[b.x]) * b.alpha;
        planes.g[b.x] += (b.colour.g - planes.g[b.x]) * b.alpha;
        planes.b[b.x] += (b.colour.b - planes.b[b.x]) * b.alpha;
    }
}

} // namespace framepipe::testsrc
