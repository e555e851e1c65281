#include "preset_listing.h"

#include "child_process.h"
#include "encoder_cache.h"
#include "exit_codes.h"
#include "messages.h"

#include <algorithm>
#include <cstdio>

namespace framepipe {

namespace fs = std::filesystem;

namespace {

// Whether this machine's ffmpeg has a preset's encoder, as --list-presets shows it.
std::string encoder_status(const Preset& preset, const std::optional<EncoderSet>& encoders) {
    if (!encoders)
        return "unknown";
    if (!encoders->contains(preset.encoder))
        return "no";
    // Every build lists its hardware encoders; whether one opens depends on the GPU and driver.
    return preset.hardware == Hardware::none ? "yes" : "needs-gpu";
}

} // namespace

int list_presets(PresetCatalog& catalog, const std::string& ffmpeg_program) {
    auto entries = catalog.list();
    if (entries.empty()) {
        print_warning("no presets found; looked in " + [&] {
            std::string dirs;
            for (const auto& d : catalog.search_path().directories)
                dirs += (dirs.empty() ? "" : ", ") + d.path.string();
            return dirs;
        }());
        return to_int(ExitCode::preset);
    }
    const fs::path ffmpeg = find_program(ffmpeg_program);
    EncoderListing listing;
    if (!ffmpeg.empty())
        listing = fresh_ffmpeg_encoders(ffmpeg);
    if (listing.interrupted_by != 0)
        return exit_status_for_signal(listing.interrupted_by);
    std::size_t width = 0;
    for (const auto& e : entries)
        width = std::max(width, e.name.size());
    bool missing = false;
    for (const auto& e : entries) {
        std::string origin = e.builtin ? "built-in" : e.origin;
        if (e.preset) {
            auto status = encoder_status(*e.preset, listing.encoders);
            missing = missing || status == "no";
            std::printf("%-*s  %-12s  %-9s  %s  [%s]\n", static_cast<int>(width), e.name.c_str(),
                        e.preset->encoder.c_str(), status.c_str(), e.preset->description.c_str(),
                        origin.c_str());
        } else {
            std::printf("%-*s  %-12s  %-9s  INVALID: %s\n", static_cast<int>(width), e.name.c_str(),
                        "-", "-", e.error.c_str());
        }
    }
    // The legend goes to stderr so scripts reading the list on stdout see only presets.
    std::string where = ffmpeg.empty() ? "'" + ffmpeg_program + "'" : ffmpeg.string();
    if (!listing.encoders)
        print_note(
            "could not ask " + where +
            " which encoders it has (third column 'unknown'); check --ffmpeg or FRAMEPIPE_FFMPEG");
    else if (missing)
        print_note("presets marked 'no' need an encoder that " + where +
                   " was built without; install an ffmpeg that has it, or use another preset");
    return 0;
}

} // namespace framepipe
