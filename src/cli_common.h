// Command-line pieces the main command (cli.cpp) and its subcommands (concat/concat_cli.cpp,
// bench/bench_cli.cpp) share. Included only by those files: the core never sees CLI11.
#pragma once

#include "options.h"

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

namespace framepipe {

// CLI11's own range checks print their bounds as 300-digit doubles, and an unsigned option lets an
// overflowing value through as the largest one: counts are checked here instead, and say what is
// allowed.
inline CLI::Validator whole_number(std::uint64_t min, std::uint64_t max) {
    auto check = [=](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        auto [stop, ec] = std::from_chars(text.data(), end, value);
        if (ec == std::errc() && stop == end && value >= min && value <= max)
            return {};
        return "'" + text + "' is not a whole number from " + std::to_string(min) + " to " +
               std::to_string(max);
    };
    return CLI::Validator(check, "", "whole number");
}

// --progress, --progress-fd and --stats-json, as every command that runs ffmpeg offers them.
struct ReportFlags {
    std::string progress = "auto";
    int progress_fd = -1;
    std::string stats_json;

    ProgressChoice progress_choice() const {
        return progress == "bar"    ? ProgressChoice::bar
               : progress == "json" ? ProgressChoice::json
               : progress == "none" ? ProgressChoice::none
                                    : ProgressChoice::automatic;
    }
    std::optional<int> fd() const {
        return progress_fd >= 0 ? std::optional<int>(progress_fd) : std::nullopt;
    }
    std::optional<std::string> stats_file() const {
        return stats_json.empty() ? std::nullopt : std::optional<std::string>(stats_json);
    }
};

inline void add_report_options(CLI::App& app, ReportFlags& flags) {
    app.add_option("--progress", flags.progress,
                   "progress while running: auto (a status line when stderr is a terminal), bar, "
                   "json or none")
        ->check(CLI::IsMember({"auto", "bar", "json", "none"}))
        ->option_text("MODE");
    app.add_option("--progress-fd", flags.progress_fd,
                   "write json progress records to this descriptor, not stderr")
        ->check(whole_number(0, INT32_MAX))
        ->option_text("N");
}

inline void add_stats_option(CLI::App& app, ReportFlags& flags) {
    app.add_option("--stats-json", flags.stats_json,
                   "write the run's statistics to FILE as JSON (failed runs too)")
        ->option_text("FILE");
}

// --ffmpeg, spelled and explained the same way by every command.
inline void add_ffmpeg_option(CLI::App& app, std::string& ffmpeg) {
    app.add_option("--ffmpeg", ffmpeg,
                   "the ffmpeg to run (default: $FRAMEPIPE_FFMPEG, else ffmpeg on PATH)")
        ->option_text("PATH");
}

// The ffmpeg a command runs: --ffmpeg's value, else $FRAMEPIPE_FFMPEG, else "ffmpeg" (on PATH).
inline std::string ffmpeg_program(const std::string& given) {
    if (!given.empty())
        return given;
    const char* env = std::getenv("FRAMEPIPE_FFMPEG");
    return env != nullptr && *env != '\0' ? std::string(env) : std::string("ffmpeg");
}

} // namespace framepipe
