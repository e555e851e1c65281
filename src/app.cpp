#include "app.h"

#include "child_process.h"
#include "container.h"
#include "diagnosis.h"
#include "encoder_probe.h"
#include "error.h"
#include "ffmpeg_args.h"
#include "ffmpeg_encoders.h"
#include "ffmpeg_version.h"
#include "input_source.h"
#include "messages.h"
#include "output_file.h"
#include "preset_catalog.h"
#include "progress_reporter.h"
#include "run_report.h"
#include "shell_quote.h"
#include "signals.h"
#include "supervisor.h"

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

// Hardware H.264 presets --preset auto tries, fastest first.
constexpr const char* kAutoCandidates[] = {"nvenc-8M", "qsv", "vaapi", "amf-8M"};

const char* env(const char* name) { return std::getenv(name); }

void check_container(const Preset& preset, const Container& container, const std::string& output) {
    if (std::find(preset.containers.begin(), preset.containers.end(), container.extension) != preset.containers.end())
        return;
    std::string allowed;
    for (const auto& c : preset.containers)
        allowed += (allowed.empty() ? "." : ", .") + c;
    throw Error(ExitCode::usage, "preset '" + preset.name + "' (" + preset.encoder + ") cannot be written to '" +
                                     output + "': it writes " + allowed +
                                     " files; rename the output or choose another preset (framepipe --list-presets)");
}

fs::path locate_ffmpeg(const std::string& program) {
    fs::path exe = find_program(program);
    std::error_code ec;
    if (exe.empty() || !fs::exists(exe, ec))
        throw Error(ExitCode::ffmpeg_unusable,
                    "cannot find ffmpeg ('" + program + "'" +
                        (program.find('/') == std::string::npos ? std::string(" on PATH") : std::string()) +
                        "): install it with 'apt-get install ffmpeg', or point --ffmpeg or FRAMEPIPE_FFMPEG at it");
    if (fs::is_directory(exe, ec) || ::access(exe.c_str(), X_OK) != 0)
        throw Error(ExitCode::ffmpeg_unusable, "'" + exe.string() +
                                                   "' is not an executable program: point --ffmpeg or "
                                                   "FRAMEPIPE_FFMPEG at the ffmpeg binary");
    return exe;
}

// Whether user options after `--` silence ffmpeg's banner, in which case its version cannot be
// read and the check is skipped rather than waited for.
bool banner_suppressed(const std::vector<std::string>& extra) {
    return std::any_of(extra.begin(), extra.end(), [](const std::string& a) {
        return a == "-hide_banner" || a == "-loglevel" || a == "-v";
    });
}

struct Selection {
    Preset preset;
    std::vector<std::string> tried; // "nvenc-8M (reason)" for each preset that could not open
};

// Follows the fallback chain from a hardware preset until an encoder opens. Throws
// Error(encoder_unavailable) when fallback is off or the chain ends.
Selection select_openable(PresetCatalog& catalog, Preset preset, FfmpegJob job, const fs::path& ffmpeg,
                          bool allow_fallback, int& interrupted_by) {
    Selection sel;
    std::vector<std::string> seen;
    while (preset.hardware != Hardware::none) {
        job.preset = preset;
        auto probe = probe_encoder(ffmpeg, job);
        if (probe.interrupted_by != 0) {
            interrupted_by = probe.interrupted_by;
            return sel;
        }
        if (probe.ok)
            break;
        sel.tried.push_back(preset.name + " (" + preset.encoder + ": " + probe.reason + ")");
        seen.push_back(preset.name);
        if (!allow_fallback)
            throw Error(ExitCode::encoder_unavailable,
                        "encoder " + preset.encoder + " of preset '" + preset.name + "' cannot run here: " +
                            probe.reason + "; drop --no-fallback to fall back to " +
                            preset.fallback.value_or(kDefaultPreset) + ", or pick a software preset");
        std::string next = preset.fallback.value_or(kDefaultPreset);
        if (std::find(seen.begin(), seen.end(), next) != seen.end())
            throw Error(ExitCode::encoder_unavailable, "no encoder in the fallback chain of '" + seen.front() +
                                                           "' can run here; tried " + std::to_string(seen.size()) +
                                                           " presets");
        preset = catalog.load(next);
    }
    sel.preset = std::move(preset);
    return sel;
}

// Whether this machine's ffmpeg has a preset's encoder, as --list-presets shows it.
std::string encoder_status(const Preset& preset, const std::optional<EncoderSet>& encoders) {
    if (!encoders)
        return "unknown";
    if (!encoders->contains(preset.encoder))
        return "no";
    // Every build lists its hardware encoders; whether one opens depends on the GPU and driver.
    return preset.hardware == Hardware::none ? "yes" : "needs-gpu";
}

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
        listing = list_ffmpeg_encoders(ffmpeg);
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

// A software encoder missing from this ffmpeg build would otherwise surface only after ffmpeg has
// taken the first frames, so it is checked before any input is read. Asking costs one
// `ffmpeg -encoders` run (about 70 ms here), which libx264 presets skip: the default and every
// hardware fallback use libx264, and a build without it still fails clearly ("Unknown encoder",
// see diagnosis.cpp). Returns the signal that interrupted the check, or 0.
int check_encoder_present(PresetCatalog& catalog, const Preset& preset, const Container& container,
                          const fs::path& ffmpeg) {
    if (preset.hardware != Hardware::none || preset.encoder == "libx264")
        return 0;
    auto listing = list_ffmpeg_encoders(ffmpeg);
    if (listing.interrupted_by != 0 || !listing.encoders ||
        listing.encoders->contains(preset.encoder))
        return listing.interrupted_by;
    std::string instead;
    for (const auto& e : catalog.list()) {
        if (!e.preset || e.preset->hardware != Hardware::none ||
            !listing.encoders->contains(e.preset->encoder))
            continue;
        const auto& c = e.preset->containers;
        if (std::find(c.begin(), c.end(), container.extension) != c.end())
            instead += (instead.empty() ? "" : ", ") + e.name;
    }
    std::string advice =
        instead.empty()
            ? "no preset for ." + std::string(container.extension) + " works with it"
            : "presets for ." + std::string(container.extension) + " that work with it: " + instead;
    throw Error(ExitCode::encoder_unavailable,
                "preset '" + preset.name + "' needs the encoder " + preset.encoder + ", which " +
                    ffmpeg.string() + " was built without; " + advice +
                    " (or install an ffmpeg built with " + preset.encoder + ")");
}

std::string ffmpeg_failure_text(const SupervisorResult& r, const LogTail& tail) {
    auto lines = tail.last_meaningful(8);
    std::string text;
    if (auto advice = diagnose_ffmpeg_failure(lines); !advice.empty())
        text += "\n  likely cause: " + advice;
    if (!lines.empty()) {
        text += "\n  ffmpeg said:";
        for (const auto& l : lines)
            text += "\n    " + l;
    }
    (void)r;
    return text;
}

} // namespace

static int run_job(const Options& o, RunStats& stats) {
    PresetCatalog catalog(standard_preset_search_path(
        o.preset_file ? std::optional<fs::path>(*o.preset_file) : std::nullopt, env("FRAMEPIPE_PRESET_PATH"),
        env("XDG_CONFIG_HOME"), env("HOME"), builtin_preset_directory()));
    if (o.list_presets)
        return list_presets(catalog, o.ffmpeg);

    std::string preset_name = o.preset;
    if (preset_name.empty())
        preset_name = catalog.preset_file_name().value_or(kDefaultPreset);
    const bool auto_pick = preset_name == "auto";
    Preset preset = catalog.load(auto_pick ? std::string(kDefaultPreset) : preset_name);
    stats.preset = preset.name;
    stats.encoder = preset.encoder;
    const Container& container = container_for(o.output);

    FfmpegJob job;
    job.input = RawInput{*o.size, o.pix_fmt, o.fps};
    job.preset = preset;
    job.output = o.output;
    job.container = &container;
    job.overwrite = o.overwrite;
    job.crash_safe = o.crash_safe;
    job.extra_args = o.extra_args;
    const std::uint64_t bytes_per_frame = frame_bytes(*o.size, *o.pix_fmt);
    stats.frame_bytes = bytes_per_frame;
    const ProgressSettings progress_setup = progress_settings(o, bytes_per_frame); // may refuse --progress-fd
    if (!auto_pick)
        check_container(preset, container, o.output);

    if (o.dry_run) {
        std::vector<std::string> argv{o.ffmpeg};
        auto args = build_ffmpeg_args(job);
        argv.insert(argv.end(), args.begin(), args.end());
        std::printf("%s\n", shell_join(argv).c_str());
        return 0;
    }

    const fs::path ffmpeg = locate_ffmpeg(o.ffmpeg);
    if (!auto_pick) {
        if (int signo = check_encoder_present(catalog, preset, container, ffmpeg); signo != 0) {
            print_note("interrupted before any input was read; nothing was written");
            return exit_status_for_signal(signo);
        }
    }
    // Refuses an existing output before any input is read.
    OutputFile out(o.output, o.overwrite, o.crash_safe);
    if (!o.quiet)
        for (const auto& left : OutputFile::leftovers(o.output))
            print_warning("found '" + left.string() +
                          "', left by a framepipe that was killed: ffmpeg usually finished it, so it may hold "
                          "that run's video (rename it to keep it, or delete it)");
    InputSource input = open_input(o.input);

    int interrupted_by = 0;
    if (auto_pick) {
        for (const char* candidate : kAutoCandidates) {
            Preset hw;
            try {
                hw = catalog.load(candidate);
            } catch (const Error&) {
                continue;
            }
            if (std::find(hw.containers.begin(), hw.containers.end(), container.extension) == hw.containers.end())
                continue;
            job.preset = hw;
            auto probe = probe_encoder(ffmpeg, job);
            if (probe.interrupted_by != 0) {
                interrupted_by = probe.interrupted_by;
                break;
            }
            if (probe.ok) {
                preset = hw;
                break;
            }
        }
        check_container(preset, container, o.output);
    } else if (preset.hardware != Hardware::none) {
        auto sel = select_openable(catalog, preset, job, ffmpeg, !o.no_fallback, interrupted_by);
        if (interrupted_by == 0) {
            if (!sel.tried.empty()) {
                stats.fallback_from = preset.name;
                stats.fallback_tried = sel.tried;
                check_container(sel.preset, container, o.output);
                if (!o.quiet)
                    for (const auto& t : sel.tried)
                        print_warning("cannot use " + t);
                if (!o.quiet)
                    print_warning("falling back to preset '" + sel.preset.name + "' (" + sel.preset.encoder + ")");
            }
            preset = sel.preset;
        }
    }
    if (interrupted_by != 0) {
        print_note("interrupted before any input was read; nothing was written");
        return exit_status_for_signal(interrupted_by);
    }
    if (!o.quiet && !preset.warning.empty())
        print_warning(preset.warning);

    job.preset = preset;
    stats.preset = preset.name;
    stats.encoder = preset.encoder;
    job.output = out.temp_path();
    job.overwrite = true; // the temporary file is framepipe's own
    job.progress_fd = kProgressFd;

    SignalWatcher signals;
    auto child = spawn_child({ffmpeg, build_ffmpeg_args(job), kProgressFd, true});
    LogTail tail;
    SupervisorConfig config;
    config.finish_timeout = o.finish_timeout;
    config.minimum_useful_bytes = bytes_per_frame;
    if (!banner_suppressed(o.extra_args)) {
        config.banner_timeout = std::chrono::seconds(10);
        config.check_banner = [&](std::string_view line) { return check_ffmpeg_banner(line, ffmpeg.string()); };
    }
    SupervisorEvents events;
    bool write_failed = false;
    events.on_stderr_line = [&](std::string_view line) {
        write_failed = write_failed || is_output_write_error(line);
        if (o.verbose)
            std::fprintf(stderr, "ffmpeg: %.*s\n", static_cast<int>(line.size()), line.data());
    };
    ProgressReporter progress(progress_setup);
    progress.attach(events);
    Supervisor supervisor(input.fd, *child, signals.fd(), [&] { return signals.take(); }, tail, config, events);
    const SupervisorResult r = supervisor.run();
    child.reset();
    progress.finish();
    record_supervision(stats, r, progress.last_block());

    const auto pos = frame_position(r.bytes_delivered, bytes_per_frame);
    if (!r.refused.empty())
        throw Error(ExitCode::ffmpeg_unusable, r.refused);

    // Without one whole frame there is no video, whatever ffmpeg made of the nothing it got
    // (unless ffmpeg quit first, which is its failure, reported below).
    if (pos.whole_frames == 0 && !r.child_exited_early) {
        out.discard();
        if (r.interrupted_by != 0) {
            print_note("interrupted before a whole frame arrived; nothing was written");
            return exit_status_for_signal(r.interrupted_by);
        }
        throw Error(ExitCode::input, "no " + std::string(r.bytes_delivered == 0 ? "frames" : "whole frame") +
                                         " arrived on " + input.label +
                                         ": nothing was written (is the producer writing raw frames to framepipe?)");
    }
    // ffmpeg exits 255 after a SIGINT, having finished the file properly: that is success only
    // when framepipe itself asked it to stop that way.
    const bool exited_well = r.child.success() ||
                             (r.escalation_signal == SIGINT && !r.child.signaled && r.child.value == 255);
    const bool finished = exited_well && !write_failed;
    if (!finished) {
        // A fragmented (crash-safe) video is playable up to its last complete fragment whatever
        // happened to ffmpeg; anything else ffmpeg did not finish is unplayable and removed.
        const bool keep_partial = o.crash_safe && out.direct() && out.temp_exists() &&
                                  std::filesystem::file_size(out.temp_path()) > 0;
        if (keep_partial) {
            out.keep();
            record_output(stats, o.output);
            print_warning("ffmpeg did not finish; --crash-safe kept the fragments written before it stopped in " +
                          o.output + " (the last second or so may be missing)");
        } else {
            out.discard();
        }
        const std::string written = keep_partial ? "" : "; no video was written";
        if (r.interrupted_by != 0) {
            print_error("interrupted, and ffmpeg had to be stopped by force (" + r.child.describe() + ")" +
                        (written.empty() ? std::string() : ": no video was written"));
            return exit_status_for_signal(r.interrupted_by);
        }
        std::string how = write_failed && exited_well ? "could not write the whole file" : "failed (" + r.child.describe() + ")";
        std::string when = r.child_exited_early ? " while framepipe was still sending frames" : "";
        throw Error(ExitCode::ffmpeg_failed, "ffmpeg " + how + when + " after framepipe had sent " +
                                                 std::to_string(pos.whole_frames) + " frames" + written +
                                                 ffmpeg_failure_text(r, tail));
    }
    if (!out.temp_exists())
        throw Error(ExitCode::ffmpeg_unusable, "'" + ffmpeg.string() + "' exited successfully but wrote no file: is it really ffmpeg?");
    out.commit();
    record_output(stats, o.output);

    if (!o.quiet)
        print_note(final_report_line(stats));
    if (r.interrupted_by != 0) {
        if (!o.quiet)
            print_note(std::string("interrupted by SIG") + sigabbrev_np(r.interrupted_by) + ": kept the " +
                       std::to_string(pos.whole_frames) + " frames received before it");
        return exit_status_for_signal(r.interrupted_by);
    }
    if (r.child_exited_early && !o.quiet)
        print_warning("ffmpeg stopped reading after " + std::to_string(pos.whole_frames) +
                      " frames (do options after -- limit the length?); later frames were not used");
    if (!r.input_error.empty()) {
        print_error("reading " + input.label + " failed after " + std::to_string(pos.whole_frames) +
                    " frames: " + r.input_error + "; the frames before it were kept");
        return to_int(ExitCode::input);
    }
    if (pos.leftover_bytes != 0 && !r.child_exited_early) {
        print_error("input ended " + std::to_string(pos.leftover_bytes) + " bytes into frame " +
                    std::to_string(pos.whole_frames + 1) + " (frame = " + std::to_string(bytes_per_frame) +
                    " bytes): check --size and --pix-fmt (now " + to_string(*o.size) + " " +
                    std::string(o.pix_fmt->name) + "); the " + std::to_string(pos.whole_frames) +
                    " whole frames were kept");
        return to_int(ExitCode::input);
    }
    return 0;
}

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
