#include "frame_geometry.h"

#include "error.h"

#include <charconv>

namespace framepipe {

namespace {

[[noreturn]] void bad_size(std::string_view text, const std::string& why) {
    throw Error(ExitCode::usage, "invalid frame size '" + std::string(text) + "': " + why);
}

std::uint32_t parse_dimension(std::string_view whole, std::string_view part, const char* what) {
    if (part.empty())
        bad_size(whole, std::string("the ") + what +
                            " is missing; write it as WIDTHxHEIGHT, e.g. 1280x720");
    if (part.front() == '-')
        bad_size(whole, std::string("the ") + what + " is negative");
    std::uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (ec == std::errc::result_out_of_range)
        bad_size(whole, std::string("the ") + what + " is too large (at most " +
                            std::to_string(kMaxDimension) + ")");
    if (ec != std::errc() || ptr != part.data() + part.size())
        bad_size(whole, std::string("the ") + what + " '" + std::string(part) +
                            "' is not a whole number; write WIDTHxHEIGHT, e.g. 1280x720");
    if (value == 0)
        bad_size(whole, std::string("the ") + what + " must be at least 1");
    if (value > kMaxDimension)
        bad_size(whole, std::string("the ") + what + " is too large (at most " +
                            std::to_string(kMaxDimension) + ")");
    return static_cast<std::uint32_t>(value);
}

} // namespace

FrameSize parse_frame_size(std::string_view text) {
    auto x = text.find_first_of("xX");
    if (x == std::string_view::npos)
        bad_size(text, "write it as WIDTHxHEIGHT, e.g. 1280x720");
    FrameSize size;
    size.width = parse_dimension(text, text.substr(0, x), "width");
    size.height = parse_dimension(text, text.substr(x + 1), "height");
    return size;
}

std::uint64_t frame_bytes(FrameSize size, const PixelFormat& format) {
    // Dimensions are capped at 65535 and bytes per pixel at 8, so this product fits in 64 bits.
    std::uint64_t bytes = std::uint64_t{size.width} * size.height * format.bytes_per_pixel;
    if (bytes > kMaxFrameBytes)
        throw Error(ExitCode::usage, "frame size " + to_string(size) + " in " +
                                         std::string(format.name) + " is " + std::to_string(bytes) +
                                         " bytes a frame, more than ffmpeg can read (" +
                                         std::to_string(kMaxFrameBytes) + ")");
    return bytes;
}

std::string to_string(FrameSize size) {
    return std::to_string(size.width) + "x" + std::to_string(size.height);
}

} // namespace framepipe
