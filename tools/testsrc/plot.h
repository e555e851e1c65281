// The moving line plot of the test pattern's left half: curves, a marker and, optionally, labels.
#pragma once

#include "overlay.h"

#include <cstdint>

namespace framepipe::testsrc {

struct PlotArea {
    std::uint32_t width;  // the plot's width: the left part of the frame
    std::uint32_t height; // the frame's height
};

// Records frame `index` (at time t seconds) of the plot's moving parts into `overlay`.
void draw_plot(Overlay& overlay, PlotArea area, std::uint64_t index, double t, bool labels);

} // namespace framepipe::testsrc
