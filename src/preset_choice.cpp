#include "preset_choice.h"

#include "encoder_cache.h"
#include "encoder_probe.h"
#include "error.h"
#include "options.h"

#include <algorithm>

namespace framepipe {

namespace fs = std::filesystem;

namespace {

bool writes(const Preset& preset, const Container& container) {
    const auto& c = preset.containers;
    return std::find(c.begin(), c.end(), container.extension) != c.end();
}

// "nvenc-8M (h264_nvenc: Cannot load libcuda.so.1)", for the warnings and --stats-json.
std::string tried_entry(const Preset& preset, const std::string& reason) {
    return preset.name + " (" + preset.encoder + ": " + reason + ")";
}

// A fallback that does not exist, is broken or cannot write the output is the fault of the preset
// that names it, so the message starts there rather than at a preset the user never chose.
Preset load_fallback(PresetCatalog& catalog, const Preset& from, const std::string& name,
                     const Container& container) {
    const std::string start =
        "preset '" + from.name + "' (" + from.origin + ") falls back to '" + name + "'";
    Preset next;
    try {
        next = catalog.load(name);
    } catch (const Error& e) {
        if (e.code() == ExitCode::preset)
            throw Error(ExitCode::preset, start + ", which is broken: " + e.what());
        throw Error(ExitCode::preset, start + ", which is not a preset here: fix its \"fallback\" "
                                              "(framepipe --list-presets shows the presets)");
    }
    if (!writes(next, container)) {
        const std::string ext(container.extension);
        throw Error(ExitCode::preset, start + " (" + next.encoder + "), which cannot write ." +
                                          ext +
                                          " files: make its \"fallback\" a preset that writes ." +
                                          ext + " (framepipe --list-presets shows which do)");
    }
    return next;
}

// Follows the fallback chain from a hardware preset until an encoder opens. Throws
// Error(encoder_unavailable) when fallback is off or the chain ends.
PresetChoice follow_fallbacks(PresetCatalog& catalog, Preset preset, FfmpegJob job,
                              const fs::path& ffmpeg, bool allow_fallback) {
    PresetChoice sel;
    std::vector<std::string> seen;
    while (preset.hardware != Hardware::none) {
        job.preset = preset;
        auto probe = probe_encoder(ffmpeg, job);
        if (probe.interrupted_by != 0) {
            sel.interrupted_by = probe.interrupted_by;
            return sel;
        }
        if (probe.ok)
            break;
        sel.tried.push_back(tried_entry(preset, probe.reason));
        seen.push_back(preset.name);
        if (!allow_fallback)
            throw Error(
                ExitCode::encoder_unavailable,
                "encoder " + preset.encoder + " of preset '" + preset.name +
                    "' cannot run here: " + probe.reason + "; drop --no-fallback to fall back to " +
                    preset.fallback.value_or(kDefaultPreset) + ", or pick a software preset");
        std::string next = preset.fallback.value_or(kDefaultPreset);
        if (std::find(seen.begin(), seen.end(), next) != seen.end())
            throw Error(ExitCode::encoder_unavailable,
                        "no encoder in the fallback chain of '" + seen.front() +
                            "' can run here; tried " + std::to_string(seen.size()) + " presets");
        preset = load_fallback(catalog, preset, next, *job.container);
    }
    sel.preset = std::move(preset);
    return sel;
}

// Hardware H.264 presets --preset auto tries, fastest first.
constexpr const char* kAutoCandidates[] = {"nvenc-8M", "qsv", "vaapi", "amf-8M"};

PresetChoice pick_auto(PresetCatalog& catalog, const Preset& requested, FfmpegJob job,
                       const fs::path& ffmpeg) {
    PresetChoice choice{requested, {}, 0};
    for (const char* candidate : kAutoCandidates) {
        Preset hw;
        try {
            hw = catalog.load(candidate);
        } catch (const Error&) {
            continue; // a catalogue without this preset simply has one candidate fewer
        }
        if (!writes(hw, *job.container))
            continue;
        job.preset = hw;
        auto probe = probe_encoder(ffmpeg, job);
        if (probe.interrupted_by != 0) {
            choice.interrupted_by = probe.interrupted_by;
            return choice;
        }
        if (probe.ok) {
            choice.preset = hw;
            return choice;
        }
        choice.tried.push_back(tried_entry(hw, probe.reason));
    }
    return choice;
}

} // namespace

void check_container(const Preset& preset, const Container& container, const std::string& output) {
    if (writes(preset, container))
        return;
    std::string allowed;
    for (const auto& c : preset.containers)
        allowed += (allowed.empty() ? "." : ", .") + c;
    throw Error(
        ExitCode::usage,
        "preset '" + preset.name + "' (" + preset.encoder + ") cannot be written to '" + output +
            "': it writes " + allowed +
            " files; rename the output or choose another preset (framepipe --list-presets)");
}

PresetChoice choose_runnable_preset(PresetCatalog& catalog, const Preset& requested, bool auto_pick,
                                    FfmpegJob job, const fs::path& ffmpeg, bool allow_fallback) {
    if (auto_pick)
        return pick_auto(catalog, requested, std::move(job), ffmpeg);
    if (requested.hardware == Hardware::none)
        return PresetChoice{requested, {}, 0};
    return follow_fallbacks(catalog, requested, std::move(job), ffmpeg, allow_fallback);
}

// A software encoder missing from this ffmpeg build would otherwise surface only after ffmpeg has
// taken the first frames, so it is checked before any input is read, from the remembered list
// when the binary is unchanged (encoder_cache.h). A remembered "missing" is asked again before the
// run is refused: the libraries behind an unchanged binary may have been replaced. Returns the
// signal that interrupted the check, or 0.
int check_encoder_present(PresetCatalog& catalog, const Preset& preset, const Container& container,
                          const fs::path& ffmpeg) {
    if (preset.hardware != Hardware::none)
        return 0;
    auto listing = cached_ffmpeg_encoders(ffmpeg);
    if (listing.cached && !listing.encoders->contains(preset.encoder))
        listing = fresh_ffmpeg_encoders(ffmpeg);
    if (listing.interrupted_by != 0 || !listing.encoders ||
        listing.encoders->contains(preset.encoder))
        return listing.interrupted_by;
    std::string instead;
    for (const auto& e : catalog.list()) {
        if (e.preset && e.preset->hardware == Hardware::none &&
            listing.encoders->contains(e.preset->encoder) && writes(*e.preset, container))
            instead += (instead.empty() ? "" : ", ") + e.name;
    }
    std::string advice =
        instead.empty()
            ? "no preset for ." + std::string(container.extension) + " works with it"
            : "presets for ." + std::string(container.extension) + " that work with it: " + instead;
    throw Error(ExitCode::encoder_unavailable,
                "preset '" + preset.name + "' needs the encoder " + preset.encoder + ", which " +
                    ffmpeg.string() + " was built without; " + advice +
                    " (or install an ffmpeg built with " + preset.encoder + ")");
}

} // namespace framepipe
