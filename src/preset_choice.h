// Which preset actually runs: the container check, the hardware probe with its fallback chain,
// --preset auto, and the check that this ffmpeg has a software preset's encoder. Everything here
// happens before any input is read, so no choice ever costs a frame.
#pragma once

#include "container.h"
#include "ffmpeg_args.h"
#include "preset.h"
#include "preset_catalog.h"

#include <filesystem>
#include <string>
#include <vector>

namespace framepipe {

// Throws Error(usage) when `preset` cannot write the container `output` names.
void check_container(const Preset& preset, const Container& container, const std::string& output);

struct PresetChoice {
    Preset preset;                  // what will run
    std::vector<std::string> tried; // "nvenc-8M (h264_nvenc: reason)" for each that did not open
    int interrupted_by = 0; // a signal that arrived during a probe; nothing else is valid then
};

// Software presets run as they are. A hardware preset runs if a one-frame probe of its encoder
// opens here; otherwise its fallback chain is followed (ending at the default), or, with
// `allow_fallback` false, Error(encoder_unavailable) is thrown. With `auto_pick` the hardware
// H.264 presets are probed in turn and the first that opens wins, else `requested`.
PresetChoice choose_runnable_preset(PresetCatalog& catalog, const Preset& requested, bool auto_pick,
                                    FfmpegJob job, const std::filesystem::path& ffmpeg,
                                    bool allow_fallback);

// Throws Error(encoder_unavailable), naming the presets that would work, when this ffmpeg lacks a
// software preset's encoder. Returns the signal that interrupted the check, or 0.
int check_encoder_present(PresetCatalog& catalog, const Preset& preset, const Container& container,
                          const std::filesystem::path& ffmpeg);

} // namespace framepipe
