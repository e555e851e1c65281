// One row of the bake-off: a preset's encode of the captured frames, measured against them, or
// the result an earlier bench remembered for the same frames, preset, ffmpeg and machine. The
// bake-off and --tune's probes both come through here, so a probe is cached like any preset.
#pragma once

#include "bench/cache.h"
#include "bench/capture.h"
#include "bench/report_json.h"
#include "bench/result.h"
#include "preset.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace framepipe::bench {

// How many of the captured frames a preset is measured on: all, except for encoders that take
// about a second a frame or more on a small machine (GIF's palettes, ProRes, FFV1's slow decode,
// VP8, SVT-AV1), which are measured on the first frames only, so that the whole bake-off of 300
// 720p frames stays within about three minutes on two cores. The table marks such rows.
std::uint64_t frames_to_measure(const Preset& preset, std::uint64_t captured);

struct MeasureContext {
    std::filesystem::path ffmpeg;   // resolved
    std::string ffmpeg_option;      // as given (--ffmpeg), for the framepipe runs
    std::filesystem::path work_dir; // the bench's temporary directory
    bool vmaf = false;              // this ffmpeg has libvmaf
    ResultCache cache{std::nullopt};
    std::optional<CacheKeyParts> key_parts; // nothing: no cache (--no-cache, or unidentifiable)

    std::optional<std::string> key(const Preset& preset, std::uint64_t frames) const;
};

// The context of one bench: the cache (unless --no-cache, or when ffmpeg or framepipe cannot be
// told apart from another build) keyed by the frames' content and format, ffmpeg, framepipe and
// the machine.
MeasureContext open_measure_context(const std::filesystem::path& ffmpeg,
                                    const std::string& ffmpeg_option,
                                    const std::filesystem::path& work_dir, bool vmaf, bool no_cache,
                                    const Captured& content, const Provenance& where);

// The remembered result, else an encode and its measurement (remembered when it succeeds). A
// preset that is not in the catalogue (a --tune probe) is handed to framepipe as a preset file.
// Throws Interrupted when the user stops the bench.
PresetResult measure_preset(const Captured& content, const Preset& preset,
                            const MeasureContext& context, bool in_catalogue = true);

} // namespace framepipe::bench
