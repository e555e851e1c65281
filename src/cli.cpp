#include "cli.h"

#include "cli_common.h"
#include "container.h"
#include "error.h"
#include "messages.h"
#include "version.h"

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace framepipe {

namespace {

constexpr const char* kDescription =
    R"(framepipe: turn a stream of raw frames into a finished video.

Reads raw frames (no headers, one after another) from stdin or a named pipe, and feeds them to an
ffmpeg it runs and supervises. The output is browser-safe H.264 by default, BT.709 colour.
)";

constexpr const char* kFooter = R"(
Options after `--` are passed to ffmpeg as output options.
'framepipe concat OUTPUT SEGMENT...' joins segments (see 'framepipe concat --help'); to write a
file named "concat", give it as -o concat or ./concat.

Examples:
  mysim | framepipe --size 1280x720 --pix-fmt argb --fps 60 out.mp4
  python plot.py | framepipe -s 1280x720 --pix-fmt rgba -p x264-crf23 out.mp4
  framepipe --input frames.fifo -s 800x600 --pix-fmt rgb24 -p vp9 out.webm
  ffmpeg -i in.mkv -f yuv4mpegpipe - | framepipe out.mp4   # Y4M, PNM, PNG: no --size
  framepipe -s 1280x720 --dry-run out.mp4          # show the ffmpeg command only
  framepipe --list-presets
  framepipe -s 1280x720 --segment-start 300 part-300.mp4   # then: framepipe concat out.mp4 part-*.mp4
  framepipe bench --quick --max-size 96MB --min-speed 1x   # which preset suits?

Exit status: 0 ok, 2 usage, 3 input, 4 output, 5 ffmpeg failed, 6 ffmpeg missing or
unusable, 7 encoder unavailable, 8 invalid preset file, 9 (concat) the segments do not join,
10 (bench) no preset meets the constraints, 128+N interrupted by signal N (the video so far is
kept). Details: docs/cli.md, man framepipe.)";

// --colormap, --range and --nan-color, checked against each other and the input format.
std::optional<ColormapSettings> colormap_settings(const std::string& name, const std::string& range,
                                                  const std::string& nan_colour,
                                                  const PixelFormat& format) {
    if (name.empty()) {
        if (!range.empty() || !nan_colour.empty())
            throw Error(ExitCode::usage, std::string(range.empty() ? "--nan-color" : "--range") +
                                             " applies only with --colormap: add --colormap NAME "
                                             "(--colormap list names the maps)");
        return std::nullopt;
    }
    ColormapSettings c;
    c.map = &find_colormap(name);
    c.input = colormap_input_format(format);
    c.range_given = !range.empty();
    if (c.range_given)
        c.range = parse_range(range);
    else
        c.range.fixed = default_range(c.input);
    if (!nan_colour.empty())
        c.nan_colour = parse_nan_colour(nan_colour);
    return c;
}

InputFormat parse_input_format(const std::string& name) {
    return name == "raw"   ? InputFormat::raw
           : name == "y4m" ? InputFormat::y4m
           : name == "pnm" ? InputFormat::pnm
           : name == "png" ? InputFormat::png
                           : InputFormat::automatic;
}

} // namespace

CliResult parse_command_line(int argc, const char* const* argv) {
    // Everything after the first `--` belongs to ffmpeg, untouched by CLI11.
    std::vector<std::string> ours;
    std::vector<std::string> extra;
    bool after = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (!after && a == "--") {
            after = true;
            continue;
        }
        (after ? extra : ours).push_back(std::move(a));
    }

    CLI::App app{kDescription, "framepipe"};
    app.footer(kFooter);
    app.get_formatter()->column_width(30);
    app.set_version_flag("--version", std::string("framepipe ") + FRAMEPIPE_VERSION);

    std::string output, size, pix_fmt = "rgba", fps = "30", input = "-", preset;
    std::string preset_file;
    std::string ffmpeg;
    bool overwrite = false, dry_run = false, list = false, quiet = false, verbose = false;
    bool no_fallback = false, crash_safe = false;
    unsigned finish_timeout = 60;

    std::string output_option;
    // Named OUTPUT, not output: CLI11 2.4 refuses a positional that shares its name with
    // -o/--output.
    app.add_option("OUTPUT", output, "the video to write; its extension picks the container")
        ->type_name("");
    app.add_option("-o,--output", output_option,
                   "the same, as an option: for names that begin with '-'")
        ->option_text("OUTPUT");
    app.add_option("-s,--size", size, "frame size, e.g. 1280x720 (required for raw frames)")
        ->option_text("WxH");
    app.add_option("--pix-fmt", pix_fmt,
                   "input pixel layout (default rgba): " + pixel_format_names())
        ->option_text("NAME");
    app.add_option("-r,--fps", fps, "frame rate: 60, 29.97 or 30000/1001 (default 30)")
        ->option_text("RATE");
    std::string input_format = "auto", input_matrix;
    app.add_option("--input-format", input_format,
                   "what the input is: auto (raw with --size, else YUV4MPEG2, PNM or PNG as its "
                   "first bytes say), raw, y4m, pnm or png")
        ->check(CLI::IsMember({"auto", "raw", "y4m", "pnm", "png"}))
        ->option_text("FORMAT");
    app.add_option("--input-matrix", input_matrix,
                   "the matrix a YUV4MPEG2 stream was made with: bt601 or bt709 (default: bt709 "
                   "from 1280 wide or 577 high, else bt601); an error for RGB and gray input")
        ->check(CLI::IsMember({"bt601", "bt709"}))
        ->option_text("MATRIX");
    app.add_option("-i,--input", input,
                   "read frames from this file or named pipe (default -: stdin)")
        ->option_text("PATH");
    app.add_option("-p,--preset", preset,
                   std::string("encoder preset by name (default ") + kDefaultPreset +
                       "); 'auto' picks a working hardware encoder")
        ->option_text("NAME");
    app.add_option("--preset-file", preset_file, "use the preset defined in this JSON file")
        ->option_text("FILE");
    app.add_flag("-y,--overwrite", overwrite,
                 "replace an existing output (only once the new one is complete)");
    add_ffmpeg_option(app, ffmpeg);
    app.add_flag("--dry-run", dry_run,
                 "print the ffmpeg command, shell-quoted, and exit without reading input");
    app.add_flag("--list-presets", list, "list the presets found and exit");
    app.add_flag("--no-fallback", no_fallback,
                 "fail instead of falling back when a hardware encoder cannot run");
    app.add_flag("--crash-safe", crash_safe,
                 "write a fragmented mp4/mov that stays playable if framepipe or ffmpeg is killed");
    app.add_option(
           "--finish-timeout", finish_timeout,
           "seconds ffmpeg may stay silent after input ends before it is stopped (default 60)")
        ->check(whole_number(1, 86400))
        ->option_text("SECONDS");
    ReportFlags report;
    std::uint64_t expected_frames = 0;
    add_report_options(app, report);
    app.add_option(
           "--frames", expected_frames,
           "frames to expect in all: adds a bar, percentage and ETA (a regular input file is "
           "counted without it)")
        ->check(whole_number(1, UINT64_MAX))
        ->option_text("N");
    add_stats_option(app, report);
    std::string convert = "auto";
    unsigned convert_threads = 0;
    app.add_option("--convert", convert,
                   "who converts RGB and gray input to the encoder's YUV: auto (framepipe when it "
                   "can), framepipe or ffmpeg")
        ->check(CLI::IsMember({"auto", "framepipe", "ffmpeg"}))
        ->option_text("WHO");
    app.add_option("--convert-threads", convert_threads,
                   "threads for framepipe's own conversion and PNG decoding (default: one per "
                   "core; not for YUV4MPEG2 or PNM streams, which ffmpeg converts)")
        ->check(whole_number(1, 256))
        ->option_text("N");
    std::uint64_t segment_start = 0;
    auto* segment_option =
        app.add_option("--segment-start", segment_start,
                       "this output is one segment of a longer video, starting at its frame N "
                       "(0-based); join the segments with 'framepipe concat'")
            ->check(whole_number(0, INT64_MAX))
            ->option_text("N");
    std::string colormap, range, nan_colour;
    app.add_option("--colormap", colormap,
                   "colour one value per pixel (--pix-fmt grayf32le, gray16le or gray) with "
                   "matplotlib's colormap NAME: " +
                       colormap_names() + "; 'list' describes them")
        ->option_text("NAME");
    app.add_option("--range", range,
                   "values given the colormap's first and last colour: LO:HI, auto (the first "
                   "frame's) or auto:N (the first N frames'); default 0:1 for floats, the "
                   "integer format's full scale otherwise")
        ->option_text("RANGE");
    app.add_option("--nan-color", nan_colour,
                   "colour of NaN and infinite values with --colormap: #rrggbb or a name "
                   "(default black)")
        ->option_text("COLOUR");
    app.add_flag("-q,--quiet", quiet, "print nothing but errors");
    app.add_flag("-v,--verbose", verbose, "show ffmpeg's own log as it runs");

    std::vector<std::string> reversed(ours.rbegin(), ours.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp&) {
        std::fputs(app.help().c_str(), stdout);
        return {std::nullopt, 0};
    } catch (const CLI::CallForVersion&) {
        std::printf("framepipe %s\n", FRAMEPIPE_VERSION);
        return {std::nullopt, 0};
    } catch (const CLI::ParseError& e) {
        print_error(std::string(e.what()) + " (see framepipe --help)");
        return {std::nullopt, to_int(ExitCode::usage)};
    }

    Options o;
    o.list_presets = list;
    o.preset_file = preset_file.empty() ? std::nullopt : std::optional(preset_file);
    o.ffmpeg = ffmpeg_program(ffmpeg);
    if (list)
        return {o, 0};
    if (colormap == "list") {
        std::fputs(colormap_listing().c_str(), stdout);
        return {std::nullopt, 0};
    }

    if (!output_option.empty() && !output.empty())
        throw Error(ExitCode::usage, "two outputs given ('" + output + "' and --output '" +
                                         output_option + "'): give one");
    if (!output_option.empty())
        output = output_option;
    if (output.empty())
        throw Error(ExitCode::usage,
                    "no output file given: add one, e.g. 'framepipe -s 1280x720 out.mp4'");
    o.input_format = parse_input_format(input_format);
    if (size.empty() && o.input_format == InputFormat::raw)
        throw Error(ExitCode::usage,
                    "--size is required for raw frames: give the frame size, e.g. --size 1280x720");
    o.output = output;
    if (!size.empty())
        o.size = parse_frame_size(size);
    o.pix_fmt = &parse_pixel_format(pix_fmt);
    o.pix_fmt_given = app.count("--pix-fmt") > 0;
    if (o.size) // refuses sizes ffmpeg cannot read, before anything starts
        frame_bytes(*o.size, *o.pix_fmt);
    o.colormap = colormap_settings(colormap, range, nan_colour, *o.pix_fmt);
    if (o.colormap && o.colormap->range.automatic && o.size)
        check_held_frames(o.colormap->range.frames, frame_bytes(*o.size, *o.pix_fmt));
    o.fps = parse_frame_rate(fps);
    o.fps_given = app.count("--fps") > 0;
    o.input_matrix = input_matrix;
    o.input = input.empty() ? "-" : input;
    o.preset = preset;
    o.extra_args = std::move(extra);
    o.overwrite = overwrite;
    o.dry_run = dry_run;
    o.quiet = quiet;
    o.verbose = verbose && !quiet;
    o.progress = report.progress_choice();
    o.progress_fd = report.fd();
    if (expected_frames > 0)
        o.expected_frames = expected_frames;
    o.stats_json = report.stats_file();
    if (segment_option->count() > 0)
        o.segment_start = segment_start;
    o.no_fallback = no_fallback;
    o.convert = convert == "framepipe" ? ConvertChoice::framepipe
                : convert == "ffmpeg"  ? ConvertChoice::ffmpeg
                                       : ConvertChoice::automatic;
    o.convert_threads = convert_threads;
    o.crash_safe = crash_safe;
    o.finish_timeout = std::chrono::seconds(finish_timeout);
    if (o.output == "-")
        throw Error(ExitCode::usage,
                    "writing the video to stdout ('-') is not supported: give a file name");
    return {o, 0};
}

} // namespace framepipe
