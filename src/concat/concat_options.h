// Everything `framepipe concat`'s command line decides, as plain values (concat_cli.cpp parses).
#pragma once

#include "options.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace framepipe {

struct ConcatOptions {
    std::string output;
    std::vector<std::string> segments; // in command-line order; joined in frame order
    bool overwrite = false;
    bool remove_segments = false;
    std::optional<std::uint64_t> expected_frames; // --frames: the whole video's length
    std::string ffmpeg = "ffmpeg";
    std::string ffprobe = "ffprobe";
    bool quiet = false;
    ProgressChoice progress = ProgressChoice::automatic;
    std::optional<int> progress_fd;
    std::optional<std::string> stats_json;
};

} // namespace framepipe
