// matplotlib's colormaps as 8-bit RGB tables, generated into colormap_tables.cpp by
// tools/gen_colormaps.py (see there for their source and licence).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace framepipe {

struct Rgb {
    std::uint8_t r, g, b;
    friend bool operator==(const Rgb&, const Rgb&) = default;
};

struct ColormapTable {
    std::string_view name;    // matplotlib's name, e.g. "viridis", "RdBu_r"
    std::span<const Rgb> lut; // matplotlib's N levels (256, or 510 for twilight), first to last
    std::string_view summary; // one line for listings
};

std::span<const ColormapTable> colormap_tables();

} // namespace framepipe
