// One preset's row of the bake-off, and the figures derived from it.
#pragma once

#include "bench/quality.h"
#include "bench/run_preset.h"

#include <optional>
#include <string>

namespace framepipe::bench {

struct PresetResult {
    std::string preset;
    std::string encoder;
    bool web = false;
    Outcome outcome = Outcome::failed;
    std::string reason;
    std::uint64_t frames = 0; // encoded and compared
    double fps_in = 60;       // the content's frame rate
    double seconds = 0;       // encode time
    std::uint64_t bytes = 0;
    std::optional<Quality> quality;
    bool cached = false; // remembered from an earlier bench of the same frames (cache.h)

    double encode_fps() const { return seconds > 0 ? static_cast<double>(frames) / seconds : 0; }
    double speed() const { return encode_fps() / fps_in; } // times real time
    double video_seconds() const { return static_cast<double>(frames) / fps_in; }
    double bits_per_second() const { return static_cast<double>(bytes) * 8 / video_seconds(); }
    double bytes_per_minute() const { return static_cast<double>(bytes) * 60 / video_seconds(); }
};

} // namespace framepipe::bench
