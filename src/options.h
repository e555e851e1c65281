// Everything the command line decides, as plain values. Only cli.cpp knows about CLI11.
#pragma once

#include "colormap/colormap_options.h"
#include "frame_geometry.h"
#include "pixel_format.h"
#include "rational.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace framepipe {

// Chosen by measurement against the published targets: docs/presets.md, "The default preset".
inline constexpr const char* kDefaultPreset = "x264-superfast-crf17";

// --convert: who turns RGB into the encoder's Y'CbCr. `automatic` is framepipe whenever it can.
enum class ConvertChoice { automatic, framepipe, ffmpeg };

// --progress: `automatic` is a bar when stderr is a terminal, nothing otherwise.
enum class ProgressChoice { automatic, bar, json, none };

// --input-format: `automatic` is raw with --size, else whatever the first bytes say.
enum class InputFormat { automatic, raw, y4m, pnm, png };

struct Options {
    std::string output;
    std::optional<FrameSize> size; // unset: the input describes its frames (src/streams/)
    const PixelFormat* pix_fmt = nullptr;
    Rational fps{30, 1};
    // Whether --pix-fmt and --fps were given: a self-describing stream checks them against its
    // header instead of taking the defaults.
    bool pix_fmt_given = false;
    bool fps_given = false;
    InputFormat input_format = InputFormat::automatic;
    std::string input_matrix; // --input-matrix for Y4M: "bt601", "bt709", or empty (the rule)
    std::string input = "-";
    std::string preset; // empty: the default, or --preset-file's
    std::optional<std::string> preset_file;
    std::string ffmpeg = "ffmpeg";
    std::vector<std::string> extra_args; // after `--`
    bool overwrite = false;
    bool dry_run = false;
    bool list_presets = false;
    bool quiet = false;
    bool verbose = false;
    bool no_fallback = false;
    bool crash_safe = false;
    std::chrono::seconds finish_timeout{60};
    ProgressChoice progress = ProgressChoice::automatic;
    std::optional<int> progress_fd;               // --progress-fd: json records go here
    std::optional<std::uint64_t> expected_frames; // --frames: for the bar, percentage and ETA
    std::optional<std::string> stats_json;        // --stats-json FILE
    ConvertChoice convert = ConvertChoice::automatic;
    unsigned convert_threads = 0;               // 0: one per core
    std::optional<std::uint64_t> segment_start; // --segment-start N: one segment of a longer video
    std::optional<ColormapSettings> colormap;   // --colormap: scalar input coloured into RGB
};

} // namespace framepipe
