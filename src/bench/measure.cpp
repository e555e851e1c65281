#include "bench/measure.h"

#include "bench/quality.h"
#include "bench/run_preset.h"
#include "bench/web.h"
#include "encoder_cache.h"
#include "error.h"
#include "version.h"

#include <cstdlib>
#include <fstream>
#include <map>

namespace framepipe::bench {

namespace fs = std::filesystem;

std::uint64_t frames_to_measure(const Preset& preset, std::uint64_t captured) {
    // Seconds per 300 frames of the built-in 720p content on the project's shared 2-vCPU machine
    // (see docs/presets.md): GIF about 180 (a palette per frame), libaom far more; ProRes 27, VP8
    // 19, SVT-AV1 17, FFV1 15 plus as long again to decode for the comparison, x265 9 to 12.
    // VP9 and x264 take 2 to 11. On this content the sizes per minute of 100 frames are within
    // 7% of those of 300, and SSIM within 0.01 (VP8 in realtime mode varies that much anyway).
    static const std::map<std::string, std::uint64_t, std::less<>> samples{
        {"gif", 30},        {"libaom-av1", 30}, {"prores_ks", 100}, {"libvpx", 100},
        {"libsvtav1", 100}, {"ffv1", 100},      {"libx265", 100}};
    auto found = samples.find(preset.encoder);
    return found == samples.end() ? captured : std::min(captured, found->second);
}

std::optional<std::string> MeasureContext::key(const Preset& preset, std::uint64_t frames) const {
    if (!key_parts)
        return std::nullopt;
    auto k = *key_parts;
    k.preset = preset_fingerprint(preset);
    k.content_format += " frames " + std::to_string(frames);
    if (vmaf)
        k.content_format += " vmaf";
    return cache_key(k);
}

MeasureContext open_measure_context(const fs::path& ffmpeg, const std::string& ffmpeg_option,
                                    const fs::path& work_dir, bool vmaf, bool no_cache,
                                    const Captured& content, const Provenance& where) {
    MeasureContext c;
    c.ffmpeg = ffmpeg;
    c.ffmpeg_option = ffmpeg_option;
    c.work_dir = work_dir;
    c.vmaf = vmaf;
    auto dir = cache_directory(std::getenv("XDG_CACHE_HOME"), std::getenv("HOME"));
    auto ffmpeg_id = ffmpeg_identity(ffmpeg);
    auto self_id = ffmpeg_identity("/proc/self/exe");
    if (no_cache || !dir || !ffmpeg_id || !self_id)
        return c;
    c.cache = ResultCache(*dir / "bench");
    c.key_parts = CacheKeyParts{hash_file(content.file),
                                to_string(content.size) + " " + std::string(content.format->name) +
                                    " " + to_string(content.rate),
                                "",
                                *ffmpeg_id,
                                std::string(FRAMEPIPE_VERSION) + " " + *self_id,
                                where.cpu + " " + std::to_string(where.cores)};
    return c;
}

namespace {

// A preset framepipe cannot find by name, written where --preset-file can read it.
std::optional<fs::path> preset_file_for(const Preset& preset, const fs::path& dir,
                                        bool in_catalogue) {
    if (in_catalogue)
        return std::nullopt;
    auto file = dir / (preset.name + ".preset.json");
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << format_preset(preset);
    if (!out)
        throw Error(ExitCode::output, "cannot write the probe preset '" + file.string() +
                                          "' in the bench's temporary directory: is it full?");
    return file;
}

} // namespace

PresetResult measure_preset(const Captured& all, const Preset& preset, const MeasureContext& c,
                            bool in_catalogue) {
    const auto frames = frames_to_measure(preset, all.frames);
    const auto key = c.key(preset, frames);
    if (key)
        if (auto hit = c.cache.load(*key)) {
            hit->preset = preset.name; // the same encode may be known under another name
            hit->cached = true;
            return *hit;
        }
    const Captured content =
        frames < all.frames
            ? first_frames(all, frames, c.work_dir / ("first-" + std::to_string(frames) + ".raw"))
            : all;
    PresetResult r;
    r.preset = preset.name;
    r.encoder = preset.encoder;
    r.web = plays_in_browsers(preset);
    r.fps_in = content.rate.value();
    auto e = encode_with_preset(content, preset, c.work_dir, c.ffmpeg_option,
                                preset_file_for(preset, c.work_dir, in_catalogue));
    r.outcome = e.outcome;
    r.reason = e.reason;
    if (e.outcome != Outcome::encoded)
        return r;
    r.seconds = e.seconds;
    r.bytes = e.bytes;
    r.frames = content.frames;
    r.quality = measure_quality(c.ffmpeg, content, e.output, c.work_dir, c.vmaf);
    if (key)
        c.cache.store(*key, r);
    // The file is measured; keeping 20 of them would fill a small /tmp for nothing.
    std::error_code ec;
    fs::remove(e.output, ec);
    return r;
}

} // namespace framepipe::bench
