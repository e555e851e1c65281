#include "run_report.h"

#include "exit_codes.h"
#include "messages.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>

namespace framepipe {

namespace fs = std::filesystem;

RunStats initial_stats(const Options& o) {
    RunStats s;
    s.output_path = o.output;
    s.fps = o.fps;
    if (o.colormap) {
        const auto& c = *o.colormap;
        s.colormap = ColormapStats{std::string(c.map->name), "", std::nullopt, std::nullopt};
        if (c.range.automatic) {
            s.colormap->range_from = "auto:" + std::to_string(c.range.frames);
        } else {
            s.colormap->range_from = c.range_given ? "given" : "default";
            s.colormap->lo = c.range.fixed.lo;
            s.colormap->hi = c.range.fixed.hi;
        }
    }
    return s;
}

void record_output(RunStats& stats, const fs::path& path) {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    stats.output_written = !ec;
    stats.output_bytes = ec ? std::nullopt : std::optional<std::uint64_t>(size);
}

int finish_run(const Options& o, RunStats& stats, int exit_status) {
    stats.exit_status = exit_status;
    if (!o.stats_json || o.dry_run || o.list_presets)
        return exit_status;
    return write_stats_json(*o.stats_json, stats_json_text(stats), exit_status);
}

int write_stats_json(const std::string& path, const std::string& text, int exit_status) {
    // Written in place rather than renamed into place: a reader polls for it only after
    // framepipe has exited, and a stale file from an earlier run must not survive a failed one.
    std::FILE* f = std::fopen(path.c_str(), "w");
    bool ok = f != nullptr && std::fwrite(text.data(), 1, text.size(), f) == text.size();
    int error = errno;
    if (f != nullptr && std::fclose(f) != 0 && ok) {
        ok = false;
        error = errno;
    }
    if (ok)
        return exit_status;
    const std::string message = "cannot write --stats-json '" + path + "': " + std::strerror(error);
    if (exit_status != 0) {
        print_warning(message);
        return exit_status;
    }
    print_error(message + "; the video itself was written");
    return to_int(ExitCode::output);
}

} // namespace framepipe
