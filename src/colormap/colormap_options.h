// The values of the colormap options (--colormap, --range, --nan-color), parsed and checked
// before anything is started, with messages that quote the value and say what to write.
#pragma once

#include "colormap/colormap_tables.h"
#include "pixel_format.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace framepipe {

// The inputs a colormap can colour: one value per pixel.
enum class ScalarFormat { gray, gray16le, grayf32le };

// Values map as matplotlib's Normalize(lo, hi): lo to the first colour, hi to the last. For gray
// and gray16le the values are the raw integers (0..255, 0..65535), as numpy gives them to
// matplotlib from a uint8 or uint16 array.
struct ValueRange {
    double lo = 0;
    double hi = 1;
    friend bool operator==(const ValueRange&, const ValueRange&) = default;
};

struct RangeChoice {
    bool automatic = false; // from the first `frames` frames' finite values
    unsigned frames = 0;
    ValueRange fixed; // when not automatic
    static constexpr unsigned max_auto_frames = 1000;
};

// Everything --colormap, --range and --nan-color decide.
struct ColormapSettings {
    const ColormapTable* map = nullptr;
    ScalarFormat input = ScalarFormat::grayf32le;
    RangeChoice range;        // fixed: --range LO:HI, or the format's default_range()
    bool range_given = false; // --range LO:HI, not the default
    Rgb nan_colour{0, 0, 0};
};

// `auto:N` holds N input frames in memory until the range is known: at most this much.
inline constexpr std::uint64_t kMaxHeldBytes = 1ull << 30;

// Throws Error(usage) when auto:N would hold more than kMaxHeldBytes of frames.
void check_held_frames(unsigned frames, std::uint64_t frame_bytes);

// "LO:HI" with each limit as short as it reads back exactly as a 32-bit float.
std::string range_text(ValueRange range);

// Throws Error(usage) naming the value, listing the maps (and the exact spelling when only the
// case was wrong).
const ColormapTable& find_colormap(std::string_view name);

// "viridis, viridis_r, magma, ..." for messages and listings.
std::string colormap_names();

// One line per map, "  NAME  summary", for `--colormap list`.
std::string colormap_listing();

// LO:HI, auto or auto:N. Throws Error(usage).
RangeChoice parse_range(std::string_view text);

// #rrggbb (either case) or a colour name. Throws Error(usage).
Rgb parse_nan_colour(std::string_view text);

// Throws Error(usage) for formats a colormap cannot colour.
ScalarFormat colormap_input_format(const PixelFormat& format);

// The range when none is given: the format's nominal full scale (0:1 for floats, as ffmpeg
// reads grayf32le; the integer format's whole span otherwise).
ValueRange default_range(ScalarFormat format);

// Why matplotlib's arithmetic on 32-bit floats cannot use this range (limits beyond ±3.4e38, or
// a width that rounds to zero or infinity, where its results stop being colours), or "" when it
// can. lo == hi is usable: matplotlib then gives every value the first colour.
std::string range_problem(ValueRange range);

} // namespace framepipe
