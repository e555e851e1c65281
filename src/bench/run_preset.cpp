#include "bench/run_preset.h"

#include "bench/child_run.h"
#include "error.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace framepipe::bench {

namespace fs = std::filesystem;

std::vector<std::string> encode_args(const Captured& source, const std::string& preset,
                                     const fs::path& output, const fs::path& stats_json,
                                     const std::string& ffmpeg,
                                     const std::optional<fs::path>& preset_file) {
    // --no-fallback: a hardware preset that cannot run is reported as such, not timed as x264.
    std::vector<std::string> args{"--input",
                                  source.file.string(),
                                  "-s",
                                  to_string(source.size),
                                  "--pix-fmt",
                                  std::string(source.format->name),
                                  "-r",
                                  to_string(source.rate),
                                  "-p",
                                  preset,
                                  "-y",
                                  "--no-fallback",
                                  "--progress",
                                  "none",
                                  "-q",
                                  "--stats-json",
                                  stats_json.string()};
    if (preset_file)
        args.insert(args.end(), {"--preset-file", preset_file->string()});
    if (!ffmpeg.empty())
        args.insert(args.end(), {"--ffmpeg", ffmpeg});
    args.insert(args.end(), {"-o", output.string()});
    return args;
}

fs::path output_name(const fs::path& dir, const Preset& preset) {
    return dir / (preset.name + "." + (preset.containers.empty() ? "mkv" : preset.containers[0]));
}

std::optional<double> parse_encode_seconds(std::string_view stats_json) {
    auto report = nlohmann::json::parse(stats_json, nullptr, false);
    // find(), not operator[]: that throws on an array and adds the key to an object.
    if (report.is_discarded() || !report.is_object())
        return std::nullopt;
    auto seconds = report.find("wall_seconds");
    if (seconds == report.end() || !seconds->is_number())
        return std::nullopt;
    return seconds->get<double>();
}

std::string framepipe_error(const std::vector<std::string>& lines) {
    constexpr std::string_view prefix = "framepipe: error: ";
    // The child was run with --no-fallback, but the bench user never typed it: that advice is
    // not theirs to follow.
    constexpr std::string_view advice = "; drop --no-fallback";
    for (auto it = lines.rbegin(); it != lines.rend(); ++it)
        if (it->starts_with(prefix)) {
            auto message = it->substr(prefix.size());
            return message.substr(0, message.find(advice));
        }
    return lines.empty() ? std::string() : lines.back();
}

Encode encode_with_preset(const Captured& source, const Preset& preset, const fs::path& work_dir,
                          const std::string& ffmpeg, const std::optional<fs::path>& preset_file) {
    Encode e;
    e.output = output_name(work_dir, preset);
    const auto stats = work_dir / (preset.name + ".stats.json");
    // /proc/self/exe itself, not the path it names: it still runs this very framepipe when the
    // file was replaced meanwhile (an upgrade or a rebuild during a long bench).
    auto run = run_child({"/proc/self/exe",
                          encode_args(source, preset.name, e.output, stats, ffmpeg, preset_file),
                          std::nullopt, true});
    if (!run.status.success()) {
        e.outcome =
            run.status.value == to_int(ExitCode::encoder_unavailable) && !run.status.signaled
                ? Outcome::unavailable
                : Outcome::failed;
        e.reason = framepipe_error(run.tail);
        if (e.reason.empty())
            e.reason = "framepipe " + run.status.describe();
        return e;
    }
    std::ifstream in(stats, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    auto seconds = parse_encode_seconds(text.str());
    if (!seconds)
        throw Error(ExitCode::internal, "the encode with preset " + preset.name +
                                            " left no readable statistics in " + stats.string());
    e.outcome = Outcome::encoded;
    e.seconds = *seconds;
    e.bytes = fs::file_size(e.output);
    return e;
}

} // namespace framepipe::bench
