// Frame dimensions and the byte arithmetic that lets framepipe count whole frames.
#pragma once

#include "pixel_format.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace framepipe {

struct FrameSize {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    bool operator==(const FrameSize&) const = default;
};

// ffmpeg's rawvideo demuxer reads a frame as one packet whose size is an int; a bigger frame can
// never be decoded, so it is refused up front rather than after ffmpeg has started.
inline constexpr std::uint64_t kMaxFrameBytes = 2147483647;
inline constexpr std::uint32_t kMaxDimension = 65535;

// Accepts "1280x720" (or 'X'). Throws Error(usage) quoting the value on anything else.
FrameSize parse_frame_size(std::string_view text);

// Bytes in one frame; throws Error(usage) if that exceeds kMaxFrameBytes.
std::uint64_t frame_bytes(FrameSize size, const PixelFormat& format);

std::string to_string(FrameSize size);

// Where a byte count stands in the frame stream.
struct FramePosition {
    std::uint64_t whole_frames;
    std::uint64_t leftover_bytes; // bytes into the next, incomplete frame
};
constexpr FramePosition frame_position(std::uint64_t bytes, std::uint64_t bytes_per_frame) {
    return {bytes / bytes_per_frame, bytes % bytes_per_frame};
}

} // namespace framepipe
