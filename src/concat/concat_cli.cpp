#include "concat/concat_cli.h"

#include "cli_common.h"
#include "error.h"
#include "messages.h"

#include <cstdlib>

namespace framepipe {

namespace {

constexpr const char* kDescription =
    R"(framepipe concat: join segments made with 'framepipe --segment-start N' into one video,
without re-encoding.

The segments may be given in any order; they are joined in frame order. Before anything is
written they are checked: same preset, codec, size, pixel format, rate, colour tags and codec
headers, and frames 0, 1, 2... each in exactly one segment. The joined video is written under a
temporary name, verified (frame count, one frame per timestamp step, every key frame decodes) and
only then renamed into place.
)";

constexpr const char* kFooter = R"(
Examples:
  framepipe concat out.mp4 part-*.mp4
  framepipe concat --frames 9000 --remove-segments -y out.mkv seg/*.mkv

Exit status: 0 ok, 2 usage, 4 output exists or cannot be written, 5 ffmpeg failed or the joined
video failed verification, 6 ffmpeg or ffprobe missing, 9 the segments do not join (missing,
overlapping, mismatched, damaged or not framepipe segments), 128+N interrupted by signal N
(nothing written). Details: docs/cli.md, man framepipe.)";

} // namespace

ConcatCliResult parse_concat_command_line(int argc, const char* const* argv) {
    CLI::App app{kDescription, "framepipe concat"};
    app.footer(kFooter);
    app.get_formatter()->column_width(30);
    ConcatOptions o;
    std::vector<std::string> files;
    std::uint64_t expected_frames = 0;
    std::string ffmpeg, ffprobe;
    ReportFlags report;
    // One positional for the output and the segments, named without a space: CLI11 2.4 refuses
    // positional names with spaces.
    app.add_option("FILES", files,
                   "OUTPUT, the video to write (its extension picks the container), then each "
                   "SEGMENT")
        ->type_name("");
    app.add_flag("-y,--overwrite", o.overwrite,
                 "replace an existing output (only once the joined video is verified)");
    app.add_flag("--remove-segments", o.remove_segments,
                 "delete the segments once the joined video is verified and in place");
    app.add_option("--frames", expected_frames,
                   "the whole video's length: also refuse when segments at the end are missing")
        ->check(whole_number(1, UINT64_MAX))
        ->option_text("N");
    add_ffmpeg_option(app, ffmpeg);
    app.add_option("--ffprobe", ffprobe,
                   "the ffprobe to run (default: $FRAMEPIPE_FFPROBE, else the one beside "
                   "--ffmpeg, else ffprobe on PATH)")
        ->option_text("PATH");
    add_report_options(app, report);
    add_stats_option(app, report);
    app.add_flag("-q,--quiet", o.quiet, "print nothing but errors");

    try {
        app.parse(argc, argv); // argv[0], "concat", stands for the program name
    } catch (const CLI::CallForHelp&) {
        std::fputs(app.help().c_str(), stdout);
        return {std::nullopt, 0};
    } catch (const CLI::ParseError& e) {
        print_error(std::string(e.what()) + " (see framepipe concat --help)");
        return {std::nullopt, to_int(ExitCode::usage)};
    }
    if (files.size() < 2)
        throw Error(ExitCode::usage,
                    files.empty() ? "no output and no segments given: e.g. 'framepipe concat "
                                    "out.mp4 part-*.mp4'"
                                  : "no segments given after the output '" + files.front() +
                                        "': e.g. 'framepipe concat out.mp4 part-*.mp4'");
    o.output = files.front();
    o.segments.assign(files.begin() + 1, files.end());
    if (expected_frames > 0)
        o.expected_frames = expected_frames;
    o.ffmpeg = ffmpeg_program(ffmpeg);
    o.ffprobe = ffprobe; // empty: concat_run picks one to match ffmpeg
    o.progress = report.progress_choice();
    o.progress_fd = report.fd();
    o.stats_json = report.stats_file();
    return {o, 0};
}

} // namespace framepipe
