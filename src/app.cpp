#include "app.h"

#include "child_environment.h"
#include "child_process.h"
#include "container.h"
#include "convert/conversion_plan.h"
#include "diagnosis.h"
#include "error.h"
#include "ffmpeg_args.h"
#include "ffmpeg_version.h"
#include "input_source.h"
#include "messages.h"
#include "output_file.h"
#include "picture_tags.h"
#include "pipeline/transform_chain.h"
#include "preset_catalog.h"
#include "preset_choice.h"
#include "preset_listing.h"
#include "progress_reporter.h"
#include "run_report.h"
#include "shell_quote.h"
#include "signals.h"
#include "streams/stream_feeder.h"
#include "streams/stream_start.h"
#include "supervisor.h"
#include "tool_lookup.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <unistd.h>

namespace framepipe {

namespace fs = std::filesystem;

namespace {

// ffmpeg's progress pipe appears as this descriptor in the child.
constexpr int kProgressFd = 3;

const char* env(const char* name) {
    return std::getenv(name);
}

fs::path locate_ffmpeg(const std::string& program) {
    return locate_tool(program, "ffmpeg", "--ffmpeg or FRAMEPIPE_FFMPEG");
}

// Whether user options after `--` silence ffmpeg's banner, in which case its version cannot be
// read and the check is skipped rather than waited for.
bool banner_suppressed(const std::vector<std::string>& extra) {
    return std::any_of(extra.begin(), extra.end(), [](const std::string& a) {
        return a == "-hide_banner" || a == "-loglevel" || a == "-v";
    });
}

// ffmpeg's own last errors, with a likely cause when they match a known failure.
std::string ffmpeg_failure_text(const LogTail& tail) {
    auto lines = tail.last_meaningful(8);
    std::string text;
    if (auto advice = diagnose_ffmpeg_failure(lines); !advice.empty())
        text += "\n  likely cause: " + advice;
    if (!lines.empty()) {
        text += "\n  ffmpeg said:";
        for (const auto& l : lines)
            text += "\n    " + l;
    }
    return text;
}

struct Encoding {
    SupervisorResult result;
    LogTail tail;
    bool write_failed = false; // ffmpeg said it could not write the file, whatever its status
};

// The worker threads of framepipe's own work on frames, as --convert-threads says.
FrameFeederConfig worker_config(const Options& o) {
    FrameFeederConfig config;
    config.threads = o.convert_threads > 0 ? o.convert_threads : default_worker_threads();
    return config;
}

// framepipe's own work on frames (colormap, conversion) on worker threads, when it does any.
std::unique_ptr<Feeder> conversion_feeder(const Options& o,
                                          const std::optional<convert::YuvFormat>& format,
                                          const InputSource& input, RunStats& stats) {
    const FrameFeederConfig config = worker_config(o);
    auto feeder =
        transform_feeder(input.fd, *o.size, *o.pix_fmt, o.colormap, format, config, stats.colormap);
    if (feeder)
        stats.conversion_threads = config.threads;
    return feeder;
}

// A stream's feeder; a PNG stream's images are decoded on framepipe's worker threads.
std::unique_ptr<Feeder> stream_feeder(const Options& o,
                                      const std::optional<convert::YuvFormat>& format,
                                      const InputSource& input, StreamStart stream,
                                      RunStats& stats) {
    const FrameFeederConfig config = worker_config(o);
    if (stream.first.format == StreamFormat::png)
        stats.conversion_threads = config.threads;
    return make_stream_feeder(input.fd, std::move(stream), format, config);
}

// Starts ffmpeg on the job and supervises it until it is gone, relaying (or converting) the
// input and reporting progress on the way.
Encoding encode(const Options& o, const FfmpegJob& job, const fs::path& ffmpeg,
                const InputSource& input, std::uint64_t bytes_per_frame,
                const std::optional<convert::YuvFormat>& conversion,
                const ProgressSettings& progress_setup, RunStats& stats, SignalWatcher& signals,
                std::optional<StreamStart>& stream) {
    Encoding e;
    SupervisorConfig config;
    config.finish_timeout = o.finish_timeout;
    config.minimum_useful_bytes = bytes_per_frame;
    const std::unique_ptr<Feeder> feeder =
        stream ? stream_feeder(o, conversion, input, std::move(*stream), stats)
               : conversion_feeder(o, conversion, input, stats);
    config.feeder = feeder.get();
    // A regular file needs no relay: ffmpeg reads it itself, saving a process hop and framepipe's
    // CPU (docs/performance.md). Under one frame, the relay's handling of a frameless input
    // applies instead. Frames framepipe converts it reads itself.
    SpawnRequest spawn{ffmpeg, build_ffmpeg_args(job), kProgressFd, true};
    spawn.environment = ffmpeg_environment(environ);
    if (!feeder && whole_frames_in_file(input, bytes_per_frame) > 0) {
        spawn.stdin_source = input.fd;
        config.shared_input = SupervisorConfig::SharedInput{input.start_offset, input.bytes_left};
    }
    auto child = spawn_child(spawn);
    if (!banner_suppressed(o.extra_args)) {
        config.banner_timeout = std::chrono::seconds(10);
        config.check_banner = [&](std::string_view line) {
            return check_ffmpeg_banner(line, ffmpeg.string());
        };
    }
    SupervisorEvents events;
    events.on_stderr_line = [&](std::string_view line) {
        e.write_failed = e.write_failed || is_output_write_error(line);
        if (o.verbose)
            std::fprintf(stderr, "ffmpeg: %.*s\n", static_cast<int>(line.size()), line.data());
    };
    ProgressReporter progress(progress_setup);
    progress.attach(events);
    Supervisor supervisor(
        input.fd, *child, signals.fd(), [&] { return signals.take(); }, e.tail, config, events);
    e.result = supervisor.run();
    child.reset();
    progress.finish();
    record_supervision(stats, e.result, progress.last_block());
    return e;
}

// Refuses (Error(usage)) options of framepipe's own frame work that a stream cannot take. PNG
// images are decoded into raw frames, which framepipe converts like raw ones; YUV4MPEG2 and PNM
// rasters are relayed and ffmpeg converts them (YUV4MPEG2 needs no RGB round trip). `format` is
// unknown before the first header when --input-format is auto.
void check_stream_conversion(const Options& o, std::optional<StreamFormat> format) {
    if (o.colormap)
        throw Error(ExitCode::usage,
                    "--colormap colours raw scalar frames (--size with --pix-fmt grayf32le, "
                    "gray16le or gray); a YUV4MPEG2, PNM or PNG stream already holds pictures: "
                    "drop --colormap, or send raw frames with --size");
    if (!format || *format == StreamFormat::png)
        return;
    if (o.convert == ConvertChoice::framepipe)
        throw Error(ExitCode::usage, "--convert framepipe converts raw RGB and gray frames and "
                                     "PNG streams; a YUV4MPEG2 or PNM stream is converted by "
                                     "ffmpeg: drop --convert framepipe");
    if (o.convert_threads > 0)
        throw Error(ExitCode::usage, "--convert-threads sets the threads of framepipe's own work "
                                     "on raw RGB and gray frames and PNG streams; a YUV4MPEG2 or "
                                     "PNM stream is converted by ffmpeg: drop --convert-threads");
}

// Who converts the colours. `fed` is what ffmpeg or framepipe's conversion receives: the input
// format, a colormap's RGB, or a PNG stream's decoded frames.
convert::ConversionPlan plan_input_conversion(const Options& o, const PixelFormat& fed,
                                              FrameSize size, std::optional<StreamFormat> stream,
                                              const Preset& preset) {
    if (stream)
        check_stream_conversion(o, stream);
    if (stream && *stream != StreamFormat::png)
        return {is_yuv_format(preset.pix_fmt) ? "ffmpeg" : "none", std::nullopt};
    return convert::plan_conversion(o.convert, fed, size, preset);
}

// For -v: who converts the colours, and with what.
std::string conversion_note(const Options& o, const convert::ConversionPlan& plan,
                            const Preset& preset, const std::string& input_pix_fmt) {
    // With a colormap, ffmpeg's input (input_pix_fmt) is already the coloured rgb24.
    const std::string from = o.colormap ? std::string(o.pix_fmt->name) + " coloured by " +
                                              std::string(o.colormap->map->name) + " into rgb24"
                                        : input_pix_fmt;
    const std::string what =
        from + " to " + preset.pix_fmt + " (BT.709, " + preset.color_range + " range)";
    if (plan.by == "framepipe")
        return "converting " + what + " in framepipe on " +
               std::to_string(o.convert_threads > 0 ? o.convert_threads
                                                    : default_worker_threads()) +
               " threads";
    if (plan.by == "ffmpeg")
        return "converting " + what + " in ffmpeg";
    return "no colour conversion: the encoder takes " + preset.pix_fmt;
}

// For input that does not divide into frames: the two settings that decide a frame's size.
std::string frame_size_hint(const Options& o) {
    return "check --size and --pix-fmt (now " + to_string(*o.size) + " " +
           std::string(o.pix_fmt->name) + ")";
}

// What conclude() decides from: how ffmpeg and the input ended, and where the frames stopped.
struct Ending {
    const Options& o;
    const Encoding& e;
    OutputFile& out;
    const std::string& input_label;
    std::uint64_t bytes_per_frame;
    const fs::path& ffmpeg;
    RunStats& stats;
    FramePosition pos;
};

// Without one whole frame there is no video, whatever ffmpeg made of the nothing it got.
int conclude_without_frames(const Ending& end) {
    const SupervisorResult& r = end.e.result;
    const Options& o = end.o;
    const std::string& input_label = end.input_label;
    const std::uint64_t bytes_per_frame = end.bytes_per_frame;
    OutputFile& out = end.out;
    out.discard();
    if (r.interrupted_by != 0) {
        print_note("interrupted before a whole frame arrived; nothing was written");
        return exit_status_for_signal(r.interrupted_by);
    }
    if (!r.input_error.empty())
        throw Error(ExitCode::input, "reading " + input_label +
                                         " failed before a whole frame arrived: " + r.input_error +
                                         "; nothing was written");
    if (r.bytes_delivered == 0)
        throw Error(ExitCode::input, "no frames arrived on " + input_label +
                                         ": nothing was written (is the producer writing raw "
                                         "frames to framepipe?)");
    throw Error(ExitCode::input,
                "no whole frame arrived on " + input_label + ": it ended " +
                    std::to_string(r.bytes_delivered) +
                    " bytes into frame 1 (frame = " + std::to_string(bytes_per_frame) +
                    " bytes): " + frame_size_hint(o) + "; nothing was written");
}

// ffmpeg did not finish the file: a crash-safe one keeps its fragments, anything else goes.
int conclude_unfinished(const Ending& end, bool exited_well) {
    const SupervisorResult& r = end.e.result;
    const Options& o = end.o;
    const bool write_failed = end.e.write_failed;
    const auto& pos = end.pos;
    OutputFile& out = end.out;
    RunStats& stats = end.stats;
    // A fragmented (crash-safe) video is playable up to its last complete fragment whatever
    // happened to ffmpeg; anything else ffmpeg did not finish is unplayable and removed.
    const bool keep_partial = o.crash_safe && out.direct() && out.temp_has_data();
    if (keep_partial) {
        out.keep();
        record_output(stats, o.output);
        print_warning("ffmpeg did not finish; --crash-safe kept the fragments written before "
                      "it stopped in " +
                      o.output + " (the last second or so may be missing)");
    } else {
        out.discard();
    }
    const std::string written = keep_partial ? "" : "; no video was written";
    if (r.interrupted_by != 0) {
        print_error("interrupted, and ffmpeg had to be stopped by force (" + r.child.describe() +
                    ")" + (written.empty() ? std::string() : ": no video was written"));
        return exit_status_for_signal(r.interrupted_by);
    }
    std::string how = write_failed && exited_well ? "could not write the whole file"
                                                  : "failed (" + r.child.describe() + ")";
    std::string when = r.child_exited_early ? " while framepipe was still sending frames" : "";
    throw Error(ExitCode::ffmpeg_failed, "ffmpeg " + how + when + " after framepipe had sent " +
                                             std::to_string(pos.whole_frames) + " frames" +
                                             written + ffmpeg_failure_text(end.e.tail));
}

// The video is finished: keep it, report it, and say what of the input did not make it in.
int conclude_finished(const Ending& end) {
    const SupervisorResult& r = end.e.result;
    const Options& o = end.o;
    const auto& pos = end.pos;
    OutputFile& out = end.out;
    RunStats& stats = end.stats;
    const fs::path& ffmpeg = end.ffmpeg;
    const std::string& input_label = end.input_label;
    const std::uint64_t bytes_per_frame = end.bytes_per_frame;
    // The temporary file exists from the start (framepipe creates it), so an ffmpeg that wrote
    // nothing shows as an empty one.
    if (!out.temp_has_data())
        throw Error(ExitCode::ffmpeg_unusable,
                    "'" + ffmpeg.string() +
                        "' exited successfully but wrote nothing: is it really ffmpeg?");
    out.commit();
    record_output(stats, o.output);

    if (!o.quiet)
        print_note(final_report_line(stats));
    if (r.interrupted_by != 0) {
        if (!o.quiet)
            print_note(std::string("interrupted by SIG") + sigabbrev_np(r.interrupted_by) +
                       ": kept the " + std::to_string(pos.whole_frames) +
                       " frames received before it");
        return exit_status_for_signal(r.interrupted_by);
    }
    if (r.child_exited_early && !o.quiet)
        print_warning(
            "ffmpeg stopped reading after " + std::to_string(pos.whole_frames) +
            " frames (do options after -- limit the length?); later frames were not used");
    else if (stats.video_cut_short() && !o.quiet)
        print_warning("ffmpeg used only " + std::to_string(stats.frames_in_video()) + " of the " +
                      std::to_string(pos.whole_frames) +
                      " frames it read (do options after -- limit the length?); the others are "
                      "not in the video");
    if (!r.input_error.empty()) {
        print_error("reading " + input_label + " failed after " + std::to_string(pos.whole_frames) +
                    " frames: " + r.input_error + "; the frames before it were kept");
        return to_int(ExitCode::input);
    }
    if (pos.leftover_bytes != 0 && !r.child_exited_early) {
        print_error("input ended " + std::to_string(pos.leftover_bytes) + " bytes into frame " +
                    std::to_string(pos.whole_frames + 1) + " (frame = " +
                    std::to_string(bytes_per_frame) + " bytes): " + frame_size_hint(o) + "; the " +
                    std::to_string(pos.whole_frames) + " whole frames were kept");
        return to_int(ExitCode::input);
    }
    return 0;
}

// Decides, from how ffmpeg and the input ended, what the user keeps (the finished video, a
// crash-safe partial one, or nothing), says so, and returns the exit status.
int conclude(const Options& o, const Encoding& e, OutputFile& out, const std::string& input_label,
             std::uint64_t bytes_per_frame, const fs::path& ffmpeg, RunStats& stats) {
    const SupervisorResult& r = e.result;
    const auto pos = r.frames_delivered ? FramePosition{*r.frames_delivered, 0}
                                        : frame_position(r.bytes_delivered, bytes_per_frame);
    if (!r.refused.empty())
        throw Error(ExitCode::ffmpeg_unusable,
                    r.banner_missing
                        ? "'" + ffmpeg.string() + "' does not look like ffmpeg (" + r.refused +
                              "); point --ffmpeg or FRAMEPIPE_FFMPEG at a real ffmpeg"
                        : r.refused);

    const Ending end{o, e, out, input_label, bytes_per_frame, ffmpeg, stats, pos};
    // Unless ffmpeg quit first: that is its failure, reported as such.
    if (pos.whole_frames == 0 && !r.child_exited_early)
        return conclude_without_frames(end);
    // ffmpeg exits 255 after a SIGINT, having finished the file properly: that is success only
    // when framepipe itself asked it to stop that way.
    const bool exited_well =
        r.child.success() || (r.asked_to_finish && !r.child.signaled && r.child.value == 255);
    if (!exited_well || e.write_failed)
        return conclude_unfinished(end, exited_well);
    return conclude_finished(end);
}

// --segment-start's tag, once the preset and container are known to make joinable segments.
SegmentTag segment_tag_for(const Options& o, const Preset& preset, const Container& container,
                           bool auto_pick, Rational rate) {
    // Every segment must be made by the same encoder, which 'auto' does not promise across the
    // machines of a cluster.
    if (auto_pick)
        throw Error(ExitCode::usage, "--segment-start cannot be used with -p auto: every segment "
                                     "must use the same preset, so name one (e.g. -p x264-crf17)");
    check_segment_support(preset, container);
    return SegmentTag{*o.segment_start, rate, preset.name};
}

// What ffmpeg is told about its input: raw frames as the options say, or a stream as its first
// header says (its rate, a YUV4MPEG2 header's own, then counts for the segment tag too).
void describe_input(FfmpegJob& job, RunStats& stats, const Options& o, const PixelFormat& fed,
                    const std::optional<StreamStart>& stream) {
    job.input = stream ? stream_ffmpeg_input(stream->first, o.fps, o.input_matrix)
                       : raw_frames(*o.size, &fed, o.fps);
    stats.fps = job.input.rate;
    stats.frame_bytes = stream ? std::max<std::uint64_t>(stream->first.payload_bytes, 1)
                               : frame_bytes(*o.size, *o.pix_fmt);
    if (job.segment)
        job.segment->rate = job.input.rate;
}

// A stream's first header, read only once every check that does not need it has passed: the
// producer may take its time, and a refusal must not wait for it, nor consume its bytes. A
// signal while waiting ends the run like one anywhere else; nothing is returned then.
std::optional<StreamStart> wait_for_stream_start(const Options& o, const InputSource& input,
                                                 SignalWatcher& signals, RunStats& stats) {
    StreamStart start = read_stream_start(input.fd, o.input_format, input.label, signals);
    if (start.interrupted_by != 0) {
        stats.interrupted_by = start.interrupted_by;
        print_note("interrupted while waiting for the first frame's header; nothing was written");
        return std::nullopt;
    }
    check_stream_supported(start.first);
    check_stream_options(o, start.first);
    return start;
}

// --dry-run: the command, without running it. A stream's header is read first, since ffmpeg's
// input options come from it.
int print_dry_run(const Options& o, FfmpegJob& job, RunStats& stats, const PixelFormat& fed,
                  bool streamed) {
    std::optional<StreamStart> stream;
    if (streamed) {
        SignalWatcher signals;
        const InputSource input = open_input(o.input);
        stream = wait_for_stream_start(o, input, signals, stats);
        if (!stream)
            return exit_status_for_signal(stats.interrupted_by);
    }
    describe_input(job, stats, o, fed, stream);
    std::vector<std::string> argv{o.ffmpeg};
    auto args = build_ffmpeg_args(job);
    argv.insert(argv.end(), args.begin(), args.end());
    std::printf("%s\n", shell_join(argv).c_str());
    return 0;
}

// The preset the user named, else the preset file's, else the default. "auto" loads the default
// as a stand-in until the encoders are probed.
std::pair<Preset, bool> named_preset(const Options& o, PresetCatalog& catalog) {
    std::string name = o.preset;
    if (name.empty())
        name = catalog.preset_file_name().value_or(kDefaultPreset);
    const bool auto_pick = name == "auto";
    return {catalog.load(auto_pick ? std::string(kDefaultPreset) : name), auto_pick};
}

// The job as the command line describes it, before the input is read.
FfmpegJob job_from_options(const Options& o, const Preset& preset, const Container& container) {
    FfmpegJob job;
    job.preset = preset;
    job.output = o.output;
    job.container = &container;
    job.overwrite = o.overwrite;
    job.crash_safe = o.crash_safe;
    job.extra_args = o.extra_args;
    return job;
}

// The presets a hardware preset fell back from, said once, and kept for --stats-json.
void report_fallback(const Options& o, const Preset& named, const PresetChoice& choice,
                     RunStats& stats) {
    stats.fallback_from = named.name;
    stats.fallback_tried = choice.tried;
    if (o.quiet)
        return;
    for (const auto& t : choice.tried)
        print_warning("cannot use " + t);
    print_warning("falling back to preset '" + choice.preset.name + "' (" + choice.preset.encoder +
                  ")");
}

void print_preset_warnings(const Options& o, const Preset& preset, const FfmpegJob& job,
                           const Container& container) {
    if (o.quiet)
        return;
    if (!preset.warning.empty())
        print_warning(preset.warning);
    if (auto warning = field_order_warning(job.input, preset.encoder, container))
        print_warning(*warning);
}

// A signal after ffmpeg was gone (during the fsync of a large file, say) waited for the video to
// be finished and renamed; it still ends the run as an interrupted one.
int with_late_signal(const Options& o, SignalWatcher& signals, RunStats& stats, int status) {
    auto late = signals.take();
    if (!late || status != 0)
        return status;
    stats.interrupted_by = *late;
    if (!o.quiet)
        print_note(std::string("interrupted by SIG") + sigabbrev_np(*late) +
                   " while finishing: the video is complete");
    return exit_status_for_signal(*late);
}

// The job as it will run: the settled preset, into the temporary file, with the progress pipe, and
// the conversion framepipe does itself (if any), which it returns.
convert::ConversionPlan finish_job(const Options& o, FfmpegJob& job, const Preset& preset,
                                   const fs::path& temp_path, const PixelFormat& fed,
                                   const std::optional<StreamStart>& stream, RunStats& stats) {
    job.preset = preset;
    stats.preset = preset.name;
    stats.encoder = preset.encoder;
    job.output = temp_path;
    job.overwrite = true; // the temporary file is framepipe's own
    job.progress_fd = kProgressFd;
    job.input.png = false; // framepipe decodes a PNG stream's images (png_decode_feeder.h)
    // A PNG stream's format is its decoded frames', a YUV4MPEG2 or PNM one's none: ffmpeg's.
    auto conversion =
        plan_input_conversion(o, job.input.format ? *job.input.format : fed, job.input.size,
                              stream ? std::optional(stream->first.format) : std::nullopt, preset);
    job.converted_input = conversion.format.has_value();
    stats.conversion = conversion.by;
    if (o.verbose)
        print_note(conversion_note(o, conversion, preset, input_pix_fmt(job.input)));
    return conversion;
}

int run_job(const Options& o, RunStats& stats) {
    PresetCatalog catalog(standard_preset_search_path(
        o.preset_file ? std::optional<fs::path>(*o.preset_file) : std::nullopt,
        env("FRAMEPIPE_PRESET_PATH"), env("XDG_CONFIG_HOME"), env("HOME"),
        builtin_preset_directory()));
    if (o.list_presets)
        return list_presets(catalog, o.ffmpeg);

    auto [preset, auto_pick] = named_preset(o, catalog);
    stats.preset = preset.name;
    stats.encoder = preset.encoder;
    // A named path: GCC 14 takes a reference returned for a temporary argument as dangling.
    const fs::path output_path(o.output);
    const Container& container = container_for(output_path);

    // Everything that does not need a stream's first header is checked before it is read.
    const bool streamed = reads_stream(o);
    check_input_matrix(o);
    FfmpegJob job = job_from_options(o, preset, container);
    // ffmpeg and the conversion see the colormap's RGB; frames are still counted in input bytes.
    const PixelFormat& fed = transformed_format(*o.pix_fmt, o.colormap);
    // A stream's feeder counts frames, not bytes (Feeder::frames_counted).
    const std::uint64_t bytes_per_frame = streamed ? 1 : frame_bytes(*o.size, *o.pix_fmt);
    ProgressSettings progress_setup =
        progress_settings(o, bytes_per_frame); // may refuse --progress-fd
    if (!auto_pick)
        check_container(preset, container, o.output);
    if (o.segment_start)
        job.segment = segment_tag_for(o, preset, container, auto_pick, o.fps);

    // --convert framepipe is refused now if it cannot apply, not after the input is opened.
    if (streamed)
        check_stream_conversion(o, declared_stream_format(o.input_format));
    else
        plan_input_conversion(o, fed, *o.size, std::nullopt, preset);
    if (o.dry_run)
        return print_dry_run(o, job, stats, fed, streamed);

    const fs::path ffmpeg = locate_ffmpeg(o.ffmpeg);
    auto interrupted = [&stats](int signo) {
        stats.interrupted_by = signo;
        print_note("interrupted before any input was read; nothing was written");
        return exit_status_for_signal(signo);
    };
    if (!auto_pick)
        if (int signo = check_encoder_present(catalog, preset, container, ffmpeg); signo != 0)
            return interrupted(signo);
    // From here on framepipe owns a temporary file (or, with --crash-safe, the output itself): a
    // signal must be seen, not kill framepipe, until that file is renamed or removed. The encoder
    // probes below watch for signals themselves; the supervisor picks up one that came between.
    SignalWatcher signals;
    // Refuses an existing output before any input is read.
    OutputFile out(o.output, o.overwrite, o.crash_safe);
    if (!o.quiet)
        for (const auto& left : OutputFile::leftovers(o.output))
            print_warning("found '" + left.string() +
                          "', left by a framepipe that was killed: ffmpeg usually finished it, so "
                          "it may hold that run's video (rename it to keep it, or delete it)");
    const InputSource input = open_input(o.input);
    // A self-describing stream's first header says what --size and --pix-fmt say for raw frames.
    std::optional<StreamStart> stream;
    if (streamed) {
        stream = wait_for_stream_start(o, input, signals, stats);
        if (!stream)
            return exit_status_for_signal(stats.interrupted_by);
    }
    describe_input(job, stats, o, fed, stream);
    // A regular file tells how many frames are coming: the bar, percentage and ETA need no
    // --frames.
    if (const auto frames = stream ? 0 : whole_frames_in_file(input, bytes_per_frame);
        frames > 0 && !progress_setup.expected_frames)
        progress_setup.expected_frames = frames;

    PresetChoice choice =
        choose_runnable_preset(catalog, preset, auto_pick, job, ffmpeg, !o.no_fallback);
    if (choice.interrupted_by != 0)
        return interrupted(choice.interrupted_by);
    check_container(choice.preset, container, o.output);
    if (!choice.tried.empty() && !auto_pick)
        report_fallback(o, preset, choice, stats);
    // What a hardware preset fell back to, or what auto picked, has not been checked yet.
    if (auto_pick || choice.preset.name != preset.name)
        if (int signo = check_encoder_present(catalog, choice.preset, container, ffmpeg);
            signo != 0)
            return interrupted(signo);
    preset = choice.preset;
    if (o.segment_start)
        job.segment = segment_tag_for(o, preset, container, auto_pick, job.input.rate);
    print_preset_warnings(o, preset, job, container);

    const auto conversion = finish_job(o, job, preset, out.temp_path(), fed, stream, stats);
    Encoding e = encode(o, job, ffmpeg, input, bytes_per_frame, conversion.format, progress_setup,
                        stats, signals, stream);
    if (auto note = auto_range_note(stats); note && !o.quiet)
        print_note(*note);
    return with_late_signal(o, signals, stats,
                            conclude(o, e, out, input.label, bytes_per_frame, ffmpeg, stats));
}

} // namespace

int run(const Options& o) {
    // --stats-json is written whichever way the run ends, so CI can tell why a render stopped.
    RunStats stats = initial_stats(o);
    try {
        return finish_run(o, stats, run_job(o, stats));
    } catch (const Error& e) {
        finish_run(o, stats, to_int(e.code()));
        throw;
    }
}

} // namespace framepipe
