// `framepipe bench`'s command line: CLI11 turns argv into a BenchOptions, nothing more.
#include "bench/bench.h"
#include "bench/bench_command.h"
#include "bench/recommend.h"
#include "bench/units.h"
#include "cli_common.h"
#include "error.h"
#include "messages.h"
#include "pixel_format.h"

#include <CLI/CLI.hpp>
#include <cstdio>

namespace framepipe::bench {

namespace {

constexpr const char* kDescription =
    R"(framepipe bench: which preset suits your frames on this machine?

Captures your frames (or built-in content like the published comparison's: a line plot with thin
antialiased lines and text beside a detailed moving picture), encodes them with each preset in turn,
and measures speed, size and quality against the source in RGB (SSIM and PSNR, mean and worst
frame; VMAF too where this ffmpeg has libvmaf). Given constraints, it recommends the preset with
the smallest file that meets them all; --tune then searches that preset's CRF for the smallest file
that still meets --min-ssim, and --save-preset keeps the result as a preset of your own.
)";

constexpr const char* kFooter = R"(
Examples:
  framepipe bench                                   # built-in content, 1280x720 at 60 fps
  framepipe bench --quick --max-size 96MB --min-speed 1x --web
  python plot.py | framepipe bench -i - -s 1280x720 --pix-fmt rgba -r 30 --min-ssim 0.98
  framepipe bench --presets x264-crf17,vp9 --json results.json
  framepipe bench --min-ssim 0.95 --web --tune --save-preset plots   # then: framepipe -p plots

Exit status: as framepipe's, and 10 when no preset meets the constraints, even after --tune (the
table is still printed). Details: docs/cli.md, man framepipe.)";

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto comma = text.find(',', start);
        auto item =
            text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!item.empty())
            items.push_back(item);
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return items;
}

// Options that mean nothing without others, refused before anything runs.
void check_combinations(const BenchOptions& o) {
    if (o.tune && !o.constraints.min_ssim)
        throw Error(ExitCode::usage, "--tune searches the CRF that just meets --min-ssim: give "
                                     "one, e.g. --tune --min-ssim 0.95");
    if (o.save_preset && !o.tune && !has_constraints(o.constraints))
        throw Error(ExitCode::usage,
                    "--save-preset saves the recommendation, which needs a constraint "
                    "(--max-size, --min-speed, --min-ssim, --web), or the result of --tune");
    if (o.overwrite && !o.save_preset)
        throw Error(ExitCode::usage, "-y (--overwrite) lets --save-preset replace a preset: "
                                     "give --save-preset NAME too");
}

} // namespace

int run_bench_command(int argc, const char* const* argv) {
    CLI::App app{kDescription, "framepipe bench"};
    app.footer(kFooter);
    app.get_formatter()->column_width(30);
    BenchOptions o;
    std::string input, presets, json, max_size, min_speed, min_ssim, save_preset;
    std::uint64_t frames = 0;
    app.add_option("-i,--input", input,
                   "your frames: a raw file or named pipe, or - for stdin (default: built-in "
                   "content)")
        ->option_text("PATH");
    app.add_option("-s,--size", o.size, "frame size (default 1280x720)")->option_text("WxH");
    app.add_option("--pix-fmt", o.pix_fmt,
                   "input pixel layout (default rgba): " + pixel_format_names())
        ->option_text("NAME");
    app.add_option("-r,--fps", o.fps, "frame rate (default 60)")->option_text("RATE");
    app.add_option("--frames", frames,
                   "frames to capture and encode (default 300, 60 with --quick; fewer if the "
                   "input is shorter; the slowest encoders take the first 100, GIF 30)")
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1000000}))
        ->option_text("N");
    app.add_option("--presets", presets,
                   "comma-separated presets to try, or all (default: every preset whose encoder "
                   "this ffmpeg has)")
        ->option_text("LIST");
    app.add_flag("--quick", o.quick, "60 frames and a shortlist of presets: well under a minute");
    app.add_flag("--no-cache", o.no_cache,
                 "measure every preset again, even if an earlier bench of the same frames, "
                 "preset and ffmpeg is remembered");
    app.add_option("--json", json, "write every number, the machine and ffmpeg to FILE")
        ->option_text("FILE");
    app.add_option("--max-size", max_size, "constraint: at most this much per minute, e.g. 96MB")
        ->option_text("SIZE");
    app.add_option("--min-speed", min_speed,
                   "constraint: encode at least this fast, e.g. 1x (real time)")
        ->option_text("X");
    app.add_option("--min-ssim", min_ssim, "constraint: mean SSIM at least S, e.g. 0.98")
        ->option_text("S");
    app.add_flag("--web", o.constraints.web, "constraint: plays in browsers");
    app.add_flag("--tune", o.tune,
                 "search the recommended preset's CRF for the smallest file that still meets "
                 "--min-ssim (a few more encodes)");
    app.add_option("--save-preset", save_preset,
                   "save the --tune result (or the recommendation) as your preset NAME, for "
                   "framepipe -p NAME")
        ->option_text("NAME");
    app.add_flag("-y,--overwrite", o.overwrite,
                 "let --save-preset replace a preset of yours (or hide a built-in one)");
    add_ffmpeg_option(app, o.ffmpeg);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
        std::fputs(app.help().c_str(), stdout);
        return 0;
    } catch (const CLI::ParseError& e) {
        print_error(std::string(e.what()) + " (see framepipe bench --help)");
        return to_int(ExitCode::usage);
    }
    if (!input.empty())
        o.input = input;
    if (frames > 0)
        o.frames = frames;
    o.presets = split_list(presets);
    o.ffmpeg = ffmpeg_program(o.ffmpeg);
    if (!json.empty())
        o.json_path = json;
    if (!max_size.empty())
        o.constraints.max_bytes_per_minute = parse_byte_size(max_size);
    if (!min_speed.empty())
        o.constraints.min_speed = parse_speed(min_speed);
    if (!min_ssim.empty())
        o.constraints.min_ssim = parse_min_ssim(min_ssim);
    if (!save_preset.empty())
        o.save_preset = save_preset;
    check_combinations(o);
    return run_bench(o);
}

} // namespace framepipe::bench
