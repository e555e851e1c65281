// Which encoders this machine's ffmpeg was built with, from `ffmpeg -encoders`. Builds differ
// (Debian's has libsvtav1 but no h264_amf; LGPL builds lack libx264), and a missing encoder is
// otherwise reported by ffmpeg only after it has started reading frames.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace framepipe {

using EncoderSet = std::set<std::string, std::less<>>;

// The encoder names in the output of `ffmpeg -hide_banner -encoders`. Nothing when the text does
// not look like that listing (no "------" line ending the legend), so a caller can tell "ffmpeg
// has no encoders" from "this was not ffmpeg's encoder list".
std::optional<EncoderSet> parse_encoder_list(std::string_view text);

struct EncoderListing {
    // Empty when ffmpeg cannot be run, fails or prints something else: callers then skip their
    // check rather than refuse a run on a guess.
    std::optional<EncoderSet> encoders;
    int interrupted_by = 0; // the user stopped framepipe while ffmpeg was listing
    bool cached = false;    // remembered from an earlier run (encoder_cache.h), not asked now
};

// Runs `ffmpeg -hide_banner -encoders` (50-70 ms of CPU time) and parses it.
EncoderListing list_ffmpeg_encoders(const std::filesystem::path& ffmpeg);

} // namespace framepipe
