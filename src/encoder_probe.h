// Does an encoder actually open here? Hardware encoders are listed by every ffmpeg build but
// fail when opened without their GPU or driver, and ffmpeg opens them only after reading the
// first frame. A one-frame test encode before any input is read answers the question without
// risking a single user frame.
#pragma once

#include "ffmpeg_args.h"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace framepipe {

struct ProbeResult {
    bool ok = false;
    std::string reason;     // ffmpeg's own last words when it failed
    int interrupted_by = 0; // the user stopped framepipe during the probe
};

// "[libx264 @ 0x55d0c1a2be00] msg" -> "msg"; other lines are returned as they are.
std::string strip_log_context(std::string_view line);

ProbeResult probe_encoder(const std::filesystem::path& ffmpeg, const FfmpegJob& job);

} // namespace framepipe
