// Encodes the captured frames with one preset by running this framepipe binary itself on the
// file, so the bench measures exactly what a real run does (the same arguments, colour handling,
// hardware test-open and checks) and reads the encode time from its --stats-json.
#pragma once

#include "bench/capture.h"
#include "preset.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace framepipe::bench {

enum class Outcome { encoded, unavailable, failed };

struct Encode {
    Outcome outcome = Outcome::failed;
    std::string reason; // framepipe's error message when not encoded
    std::filesystem::path output;
    std::uint64_t bytes = 0;
    double seconds = 0; // ffmpeg's run, from --stats-json wall_seconds
};

// The framepipe command line (without the program) that encodes `source` with `preset`, found
// by name or, given `preset_file`, defined there.
std::vector<std::string> encode_args(const Captured& source, const std::string& preset,
                                     const std::filesystem::path& output,
                                     const std::filesystem::path& stats_json,
                                     const std::string& ffmpeg,
                                     const std::optional<std::filesystem::path>& preset_file = {});

// The file name for a preset's output in `dir`: its first container's extension.
std::filesystem::path output_name(const std::filesystem::path& dir, const Preset& preset);

Encode encode_with_preset(const Captured& source, const Preset& preset,
                          const std::filesystem::path& work_dir, const std::string& ffmpeg,
                          const std::optional<std::filesystem::path>& preset_file = {});

// The wall_seconds of the child's --stats-json text, or nothing when the text holds none.
std::optional<double> parse_encode_seconds(std::string_view stats_json);

// "framepipe: error: msg" -> "msg"; the last such line of the child's stderr.
std::string framepipe_error(const std::vector<std::string>& lines);

} // namespace framepipe::bench
