#include "bench/bench.h"

#include "bench/capture.h"
#include "bench/child_run.h"
#include "bench/conclusion.h"
#include "bench/measure.h"
#include "bench/report_json.h"
#include "bench/save_preset.h"
#include "bench/table.h"
#include "bench/temp_dir.h"
#include "bench/vmaf.h"
#include "error.h"
#include "ffmpeg_encoders.h"
#include "messages.h"
#include "preset_catalog.h"
#include "tool_lookup.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

namespace framepipe::bench {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kDefaultFrames = 300;
constexpr std::uint64_t kQuickFrames = 60;

PresetCatalog open_catalog() {
    return PresetCatalog(standard_preset_search_path(
        std::nullopt, std::getenv("FRAMEPIPE_PRESET_PATH"), std::getenv("XDG_CONFIG_HOME"),
        std::getenv("HOME"), builtin_preset_directory()));
}

std::vector<Preset> presets_to_try(PresetCatalog& catalog, const BenchOptions& o,
                                   const fs::path& ffmpeg) {
    std::vector<Preset> available;
    for (auto& entry : catalog.list())
        if (entry.preset)
            available.push_back(*entry.preset);
    std::vector<std::string> requested;
    for (const auto& name : o.presets)
        if (name != "all")
            requested.push_back(catalog.load(name).name); // unknown names fail here, listed
    if (std::find(o.presets.begin(), o.presets.end(), "all") != o.presets.end())
        return available;
    if (!requested.empty())
        return select_presets(available, requested, false, std::nullopt);
    auto listing = list_ffmpeg_encoders(ffmpeg);
    std::optional<std::vector<std::string>> encoders;
    if (listing.encoders)
        encoders.emplace(listing.encoders->begin(), listing.encoders->end());
    return select_presets(available, {}, o.quick, encoders);
}

void progress(const std::string& text) {
    std::fprintf(stderr, "framepipe bench: %s\n", text.c_str());
}

std::string result_line(const PresetResult& r) {
    if (r.outcome != Outcome::encoded)
        return (r.outcome == Outcome::unavailable ? "unavailable: " : "failed: ") + r.reason;
    return format_fixed(r.encode_fps(), 1) + " fps, " + format_mb(static_cast<double>(r.bytes)) +
           ", SSIM " + format_fixed(r.quality->ssim_mean, 4) +
           (r.cached ? " (cached: --no-cache to measure again)" : "");
}

void print_table(const Captured& content, const std::vector<PresetResult>& results,
                 const TableStyle& style, const Provenance& where) {
    std::printf("%s, %s %s at %s fps, %llu frames; %s\n\n", content.content.c_str(),
                to_string(content.size).c_str(), std::string(content.format->name).c_str(),
                to_string(content.rate).c_str(), static_cast<unsigned long long>(content.frames),
                where.ffmpeg_version.c_str());
    std::fputs(format_table(results, style).c_str(), stdout);
    std::fputs(table_notes(results, style).c_str(), stdout);
}

void write_json(const std::string& path, const nlohmann::ordered_json& doc) {
    std::ofstream out(path);
    // A file name in "source" need not be UTF-8: replaced, not a throw after minutes of work.
    out << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
    if (!out)
        throw Error(ExitCode::output, "cannot write --json file '" + path +
                                          "': check the directory exists and is "
                                          "writable");
}

} // namespace

const std::vector<std::string>& quick_shortlist() {
    static const std::vector<std::string> names{"x264-crf17", "x264-superfast-crf17", "x264-crf23",
                                                "x264-small", "vp8"};
    return names;
}

std::vector<Preset> select_presets(const std::vector<Preset>& available,
                                   const std::vector<std::string>& requested, bool quick,
                                   const std::optional<std::vector<std::string>>& encoders) {
    std::vector<Preset> chosen;
    auto named = [](const std::vector<std::string>& names, const std::string& n) {
        return std::find(names.begin(), names.end(), n) != names.end();
    };
    for (const auto& p : available) {
        if (!requested.empty()) {
            if (named(requested, p.name))
                chosen.push_back(p);
            continue;
        }
        if (encoders && !named(*encoders, p.encoder))
            continue;
        if (quick && p.hardware == Hardware::none && !named(quick_shortlist(), p.name))
            continue;
        chosen.push_back(p);
    }
    return chosen;
}

int run_bench(const BenchOptions& o) {
    const auto ffmpeg = locate_tool(o.ffmpeg, "ffmpeg", "--ffmpeg or FRAMEPIPE_FFMPEG");
    CaptureRequest request;
    request.input = o.input.value_or("");
    request.size = parse_frame_size(o.size);
    request.format = &parse_pixel_format(o.pix_fmt);
    request.rate = parse_frame_rate(o.fps);
    request.frames = o.frames.value_or(o.quick ? kQuickFrames : kDefaultFrames);

    auto catalog = open_catalog();
    // Before minutes of measuring: a name that cannot be saved is known now.
    std::optional<SaveTarget> save;
    if (o.save_preset)
        save = plan_save(*o.save_preset, catalog.search_path(),
                         user_preset_directory(std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME")),
                         o.overwrite);
    auto presets = presets_to_try(catalog, o, ffmpeg);
    if (presets.empty())
        throw Error(ExitCode::encoder_unavailable,
                    "no preset to try: this ffmpeg has none of the presets' encoders; name "
                    "presets with --presets, or see framepipe --list-presets");
    TempDir dir;
    progress("capturing up to " + std::to_string(request.frames) + " frames...");
    auto content = capture_frames(request, dir.path() / "source.raw");
    progress("captured " + std::to_string(content.frames) + " frames of " + content.content);

    const auto where =
        current_provenance(ffmpeg.string(), program_output(ffmpeg, {"-version"}, dir.path()));
    const bool vmaf = ffmpeg_has_libvmaf(ffmpeg, dir.path());
    const auto context =
        open_measure_context(ffmpeg, o.ffmpeg, dir.path(), vmaf, o.no_cache, content, where);
    const TableStyle style{::isatty(STDOUT_FILENO) == 1, vmaf, content.frames};
    std::vector<PresetResult> results;
    Conclusion conclusion;
    try {
        for (std::size_t i = 0; i < presets.size(); ++i) {
            auto r = measure_preset(content, presets[i], context);
            progress("[" + std::to_string(i + 1) + "/" + std::to_string(presets.size()) + "] " +
                     r.preset + ": " + result_line(r));
            results.push_back(std::move(r));
        }
        print_table(content, results, style, where);
        conclusion = conclude(o, {content, presets, results, context, style, where.ffmpeg_version},
                              save, catalog.search_path());
    } catch (const Interrupted& stop) {
        print_error(results.size() < presets.size()
                        ? "interrupted: no table, as not every preset ran"
                        : "interrupted during --tune: nothing was saved");
        return exit_status_for_signal(stop.signo);
    }
    if (o.json_path)
        write_json(*o.json_path,
                   bench_json(content, results, o.constraints, conclusion, where, vmaf));
    return conclusion.status;
}

} // namespace framepipe::bench
