// Input pixel layouts framepipe accepts on its input, and what each costs in bytes.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace framepipe {

struct PixelFormat {
    std::string_view name;        // what users type after --pix-fmt
    std::string_view ffmpeg_name; // what ffmpeg's rawvideo demuxer is told
    unsigned bytes_per_pixel;
    bool gray;
    std::string_view layout; // for --help and error messages
};

std::span<const PixelFormat> pixel_formats();

// Throws Error(usage) naming the value and listing the valid names.
const PixelFormat& parse_pixel_format(std::string_view name);

// "rgba, argb, ..." for messages and --help.
std::string pixel_format_names();

} // namespace framepipe
