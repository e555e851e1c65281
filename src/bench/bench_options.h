// What `framepipe bench` was asked to do: filled by bench_cli.cpp, read by the core.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace framepipe::bench {

struct Constraints {
    std::optional<std::uint64_t> max_bytes_per_minute; // --max-size
    std::optional<double> min_speed;                   // --min-speed, times real time
    std::optional<double> min_ssim;                    // --min-ssim, mean over the frames
    bool web = false;                                  // --web: browser-playable only
};

struct BenchOptions {
    std::optional<std::string> input; // --input; nothing: built-in content; "-": stdin
    std::string size = "1280x720";
    std::string pix_fmt = "rgba";
    std::string fps = "60";
    std::optional<std::uint64_t> frames; // --frames; default 300 (60 with --quick)
    std::vector<std::string> presets;    // empty: every preset this ffmpeg can encode
    bool quick = false;
    bool no_cache = false; // measure again even when an earlier bench knows the result
    std::optional<std::string> json_path;
    Constraints constraints;
    bool tune = false;                      // search the pick's CRF for --min-ssim
    std::optional<std::string> save_preset; // save the tuned result or the pick as this preset
    bool overwrite = false;                 // -y: --save-preset may replace a user preset
    std::string ffmpeg;                     // empty: $FRAMEPIPE_FFMPEG, else ffmpeg on PATH
};

} // namespace framepipe::bench
