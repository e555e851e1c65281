// The frames every preset is encoded from, captured to a file first so that the producer's speed
// (a pipe, a slow script) never counts in an encoder's time.
#pragma once

#include "frame_geometry.h"
#include "pixel_format.h"
#include "rational.h"

#include <cstdint>
#include <filesystem>
#include <string>

namespace framepipe::bench {

struct Captured {
    std::filesystem::path file;
    FrameSize size;
    const PixelFormat* format = nullptr;
    Rational rate;
    std::uint64_t frames = 0;
    std::string content; // what it is, for the table's header
};

struct CaptureRequest {
    std::string input; // a file, "-" for stdin, or empty for the built-in content
    FrameSize size;
    const PixelFormat* format = nullptr;
    Rational rate;
    std::uint64_t frames = 0;
};

// Copies the first request.frames whole frames (or all of a shorter input) to `file`.
// Throws Error(input) when not even one whole frame arrives.
Captured capture_frames(const CaptureRequest& request, const std::filesystem::path& file);

// The first `frames` frames of `c` in their own file (`file`), for encoders too slow for all;
// a `file` that already holds that many frames' bytes is taken as made by an earlier call.
Captured first_frames(const Captured& c, std::uint64_t frames, const std::filesystem::path& file);

// framepipe-testsrc beside this framepipe (a build tree, or bin/ once installed), else on PATH.
std::filesystem::path find_testsrc();

} // namespace framepipe::bench
