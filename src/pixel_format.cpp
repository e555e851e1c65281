#include "pixel_format.h"

#include "error.h"

#include <algorithm>
#include <array>

namespace framepipe {

namespace {

// Packed formats only: every frame is width * height * bytes_per_pixel bytes, which is what lets
// framepipe count frames and detect a truncated last one.
constexpr std::array kFormats{
    PixelFormat{"rgba", "rgba", 4, false, "R G B A, 8 bits each"},
    PixelFormat{"argb", "argb", 4, false, "A R G B, 8 bits each (matplotlib's tostring_argb)"},
    PixelFormat{"bgra", "bgra", 4, false,
                "B G R A, 8 bits each (cairo ARGB32 on little-endian machines, OpenCV with alpha)"},
    PixelFormat{"abgr", "abgr", 4, false, "A B G R, 8 bits each"},
    PixelFormat{"rgb0", "rgb0", 4, false, "R G B and an unused byte"},
    PixelFormat{"bgr0", "bgr0", 4, false, "B G R and an unused byte"},
    PixelFormat{"0rgb", "0rgb", 4, false, "an unused byte, then R G B"},
    PixelFormat{"rgb24", "rgb24", 3, false, "R G B, 8 bits each (numpy HxWx3 uint8, PIL RGB)"},
    PixelFormat{"bgr24", "bgr24", 3, false, "B G R, 8 bits each (OpenCV)"},
    PixelFormat{"gray", "gray", 1, true, "one 8-bit luminance byte"},
    PixelFormat{"gray16le", "gray16le", 2, true, "16-bit little-endian luminance"},
    PixelFormat{"grayf32le", "grayf32le", 4, true, "32-bit float luminance, 0.0 to 1.0"},
    PixelFormat{"rgb48le", "rgb48le", 6, false, "R G B, 16-bit little-endian each"},
    PixelFormat{"rgba64le", "rgba64le", 8, false, "R G B A, 16-bit little-endian each"},
};

} // namespace

std::span<const PixelFormat> pixel_formats() {
    return kFormats;
}

std::string pixel_format_names() {
    std::string out;
    for (const auto& f : kFormats) {
        if (!out.empty())
            out += ", ";
        out += f.name;
    }
    return out;
}

const PixelFormat& parse_pixel_format(std::string_view name) {
    auto it = std::find_if(kFormats.begin(), kFormats.end(),
                           [&](const PixelFormat& f) { return f.name == name; });
    if (it == kFormats.end())
        throw Error(ExitCode::usage, "unknown pixel format '" + std::string(name) +
                                         "': use one of " + pixel_format_names());
    return *it;
}

} // namespace framepipe
