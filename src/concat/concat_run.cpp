#include "concat/concat_run.h"

#include "concat/join_check.h"
#include "concat/join_plan.h"
#include "concat/joined_index.h"
#include "concat/mp4_boxes.h"
#include "concat/mp4_join_write.h"
#include "concat/segment_probe.h"
#include "concat/tool_run.h"
#include "container.h"
#include "error.h"
#include "fd.h"
#include "messages.h"
#include "output_file.h"
#include "progress.h"
#include "progress_reporter.h"
#include "run_report.h"
#include "signals.h"
#include "tool_lookup.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace framepipe {

namespace fs = std::filesystem;

namespace {

// ffmpeg's progress pipe appears as this descriptor in the child.
constexpr int kProgressFd = 3;

using Clock = std::chrono::steady_clock;

struct ConcatStats {
    std::size_t segments = 0;
    std::uint64_t frames = 0;
    Rational rate{30, 1};
    std::optional<std::uint64_t> output_bytes;
    bool segments_removed = false;
    double seconds_checking = 0, seconds_joining = 0, seconds_verifying = 0;
    std::string joined_by;          // "framepipe" or "ffmpeg"
    std::string ffmpeg_join_reason; // why not framepipe, when ffmpeg joined
    Clock::time_point start = Clock::now();
};

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

std::string stats_text(const ConcatOptions& o, const ConcatStats& s, int exit_status) {
    nlohmann::ordered_json j;
    j["command"] = "concat";
    j["output"] = o.output;
    j["output_written"] = s.output_bytes.has_value();
    j["output_bytes"] = s.output_bytes ? nlohmann::ordered_json(*s.output_bytes) : nullptr;
    j["segments"] = s.segments;
    j["frames"] = s.frames;
    j["fps"] = to_string(s.rate);
    j["video_seconds"] = static_cast<double>(s.frames) / s.rate.value();
    j["segments_removed"] = s.segments_removed;
    j["joined_by"] =
        s.joined_by.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s.joined_by);
    if (s.joined_by == "ffmpeg")
        j["why_not_joined_by_framepipe"] = s.ffmpeg_join_reason;
    j["seconds_checking"] = s.seconds_checking;
    j["seconds_joining"] = s.seconds_joining;
    j["seconds_verifying"] = s.seconds_verifying;
    j["wall_seconds"] = seconds_since(s.start);
    j["exit_status"] = exit_status;
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// The concat demuxer's list, in the temporary directory and gone when the join is.
class ListFile {
  public:
    explicit ListFile(const std::string& text) {
        std::string name = (fs::temp_directory_path() / "framepipe-concat-XXXXXX").string();
        UniqueFd fd(::mkstemp(name.data()));
        if (!fd)
            throw Error(ExitCode::output, "cannot create the list of segments in '" +
                                              fs::temp_directory_path().string() +
                                              "': " + std::strerror(errno) + " (set TMPDIR)");
        path_ = name;
        if (!write_all(fd.get(), text))
            throw Error(ExitCode::output, "cannot write the list of segments '" + name +
                                              "': " + std::strerror(errno) + " (set TMPDIR)");
    }
    ~ListFile() {
        std::error_code ec;
        fs::remove(path_, ec);
    }
    ListFile(const ListFile&) = delete;
    ListFile& operator=(const ListFile&) = delete;
    const fs::path& path() const { return path_; }

  private:
    fs::path path_;
};

// ffprobe beside an explicitly given ffmpeg, so one --ffmpeg picks a matching pair.
std::string default_ffprobe(const ConcatOptions& o) {
    if (const char* env = std::getenv("FRAMEPIPE_FFPROBE"); env != nullptr && *env != '\0')
        return env;
    if (o.ffmpeg.find('/') != std::string::npos) {
        fs::path sibling = fs::path(o.ffmpeg).parent_path() / "ffprobe";
        std::error_code ec;
        if (fs::exists(sibling, ec))
            return sibling.string();
    }
    return "ffprobe";
}

void check_output_is_no_segment(const ConcatOptions& o) {
    std::error_code ec;
    const auto out = fs::weakly_canonical(o.output, ec);
    for (const auto& s : o.segments)
        if (fs::weakly_canonical(s, ec) == out)
            throw Error(ExitCode::usage, "the output '" + o.output +
                                             "' is also given as a segment: choose another name "
                                             "for the joined video");
}

ProgressSettings progress_for(const ConcatOptions& o, std::uint64_t frames) {
    // The main command's rules for --progress, --progress-fd and --quiet, unchanged.
    Options like;
    like.progress = o.progress;
    like.progress_fd = o.progress_fd;
    like.quiet = o.quiet;
    like.expected_frames = frames;
    return progress_settings(like, 1);
}

// Whether framepipe writes the join itself (mp4_join.h): MP4/MOV segments into the same kind of
// file. Their indexes decide the rest.
bool joins_natively(const std::vector<SegmentInfo>& plan, const Container& container) {
    if (!is_mov_family(container))
        return false;
    for (const auto& s : plan)
        if (container_for(fs::path(s.path)).muxer != container.muxer)
            return false;
    return true;
}

void join_with_ffmpeg(const fs::path& ffmpeg, const std::vector<SegmentInfo>& plan,
                      const OutputFile& out, const Container& container, const ConcatStats& stats,
                      ProgressReporter& progress, SupervisorEvents events) {
    ListFile list(concat_list(plan));
    auto on_progress = events.on_progress_line;
    auto run = run_tool(
        ffmpeg, build_join_args(list.path(), out.temp_path(), container, stats.rate, kProgressFd),
        kProgressFd, on_progress, std::move(events));
    progress.finish();
    if (!run.result.child.success() || !out.temp_has_data())
        throw Error(ExitCode::ffmpeg_failed,
                    "ffmpeg failed to join the segments (" + run.result.child.describe() +
                        "); nothing was written" + tool_said("ffmpeg", run.tail));
}

void join(const ConcatOptions& o, const fs::path& ffmpeg, const std::vector<SegmentInfo>& plan,
          const OutputFile& out, const Container& container, ConcatStats& stats,
          SignalWatcher& signals) {
    ProgressReporter progress(progress_for(o, stats.frames));
    SupervisorEvents events;
    progress.attach(events);
    if (joins_natively(plan, container)) {
        // The reporter reads ffmpeg's -progress blocks; a block a segment says the same.
        auto report = events.on_progress_line;
        auto on_segment = [&](std::uint64_t frames) {
            report("frame=" + std::to_string(frames));
            report(frames == stats.frames ? "progress=end" : "progress=continue");
        };
        if (write_mp4_join(plan, out.temp_path(), on_segment, signals, stats.ffmpeg_join_reason)) {
            progress.finish();
            stats.joined_by = "framepipe";
            return;
        }
    } else {
        stats.ffmpeg_join_reason = "the segments are not MP4/MOV joined into the same kind of file";
    }
    stats.joined_by = "ffmpeg";
    join_with_ffmpeg(ffmpeg, plan, out, container, stats, progress, std::move(events));
}

// Why a joined video failed verification, and what ffprobe said of it (empty, or lines that
// end the message).
struct VerifyFailure {
    std::string problem, tool_output;
};

// Whether every key frame of a joined MP4/MOV decodes, and nothing else is wrong with them.
std::optional<VerifyFailure> verify_key_frames(const fs::path& ffmpeg, const fs::path& video,
                                               std::uint64_t key_frames) {
    ProgressParser progress;
    std::uint64_t decoded = 0;
    auto run = run_tool(ffmpeg, key_frame_decode_args(video, STDOUT_FILENO), STDOUT_FILENO,
                        [&](std::string_view line) {
                            if (auto block = progress.feed(line); block && block->frame)
                                decoded = *block->frame;
                        });
    if (!run.result.child.success() || run.tail.total_lines() != 0)
        return VerifyFailure{"it does not decode cleanly", tool_said("ffmpeg", run.tail)};
    if (decoded != key_frames)
        return VerifyFailure{"only " + std::to_string(decoded) + " of its " +
                                 std::to_string(key_frames) + " key frames decode",
                             tool_said("ffmpeg", run.tail)};
    return std::nullopt;
}

// A joined MP4/MOV checked from its own index against the segments' indexes, then its key
// frames decoded: no ffprobe start-up, and no second reading of every packet. Nothing in
// `handled` when framepipe cannot read the index (then ffprobe checks the video).
std::optional<VerifyFailure> verify_mp4(const fs::path& ffmpeg, const fs::path& video,
                                        const Container& container,
                                        const std::vector<SegmentInfo>& plan,
                                        const ConcatStats& stats, bool& handled) {
    handled = false;
    const auto joined = mp4::read_moov(video.string());
    auto check = joined ? JoinedIndexCheck::open(joined->moov, stats.frames, stats.rate,
                                                 joined_time_base(container, stats.rate))
                        : std::nullopt;
    if (!check)
        return std::nullopt;
    handled = true;
    for (const auto& segment : plan) {
        const auto index = mp4::read_moov(segment.path);
        check->add_segment(segment.path,
                           index ? std::optional<std::string_view>(index->moov) : std::nullopt,
                           segment.frames);
    }
    if (auto problem = check->result())
        return VerifyFailure{*problem, ""};
    return verify_key_frames(ffmpeg, video, check->key_frames());
}

// Why the joined video is not what the segments promised, or nothing when it is.
std::optional<VerifyFailure> verify(const fs::path& ffmpeg, const fs::path& ffprobe,
                                    const fs::path& video, const Container& container,
                                    const std::vector<SegmentInfo>& plan,
                                    const ConcatStats& stats) {
    if (is_mov_family(container)) {
        bool handled = false;
        auto failure = verify_mp4(ffmpeg, video, container, plan, stats, handled);
        if (handled)
            return failure;
    }
    JoinReport report(stats.frames, stats.segments, stats.rate,
                      joined_time_base(container, stats.rate));
    auto run = run_tool(ffprobe, join_check_args(video), STDOUT_FILENO,
                        [&](std::string_view line) { report.add_line(line); });
    const bool errors = !run.result.child.success() || run.tail.total_lines() != 0;
    if (auto problem = report.result(errors))
        return VerifyFailure{*problem, tool_said("ffprobe", run.tail)};
    return std::nullopt;
}

void remove_segments(const ConcatOptions& o, ConcatStats& stats) {
    stats.segments_removed = true;
    for (const auto& s : o.segments) {
        std::error_code ec;
        if (!fs::remove(s, ec) && ec) {
            stats.segments_removed = false;
            print_warning("could not remove segment '" + s + "': " + ec.message());
        }
    }
}

const Container& output_container(const ConcatOptions& o) {
    // A named path: GCC 14 takes a reference returned for a temporary argument as dangling.
    const fs::path output(o.output);
    const Container& container = container_for(output);
    if (!is_joinable_container(container))
        throw Error(ExitCode::usage, "cannot join segments into ." +
                                         std::string(container.extension) +
                                         ": write the joined video as .mp4, .mov, .mkv or .webm");
    check_output_is_no_segment(o);
    return container;
}

// Everything that can refuse the join, before anything is written.
std::vector<SegmentInfo> checked_plan(const ConcatOptions& o, const fs::path& ffprobe,
                                      const Container& container, ConcatStats& stats) {
    auto plan = plan_join(probe_segments(ffprobe, o.segments), o.expected_frames);
    check_join_container(plan, container, o.output);
    stats.segments = plan.size();
    stats.rate = plan.front().tag->rate;
    stats.frames = plan.back().end();
    stats.seconds_checking = seconds_since(stats.start);
    return plan;
}

void finish_join(const ConcatOptions& o, OutputFile& out, ConcatStats& stats) {
    out.commit();
    std::error_code ec;
    if (auto size = fs::file_size(o.output, ec); !ec)
        stats.output_bytes = size;
    if (o.remove_segments)
        remove_segments(o, stats);
    if (!o.quiet)
        print_note("joined " + std::to_string(stats.segments) + " segments (" +
                   std::to_string(stats.frames) + " frames) into " + o.output + ", verified" +
                   (stats.segments_removed ? "; the segments were removed" : ""));
}

int join_segments(const ConcatOptions& o, ConcatStats& stats, SignalWatcher& signals) {
    const Container& container = output_container(o);
    const fs::path ffmpeg = locate_tool(o.ffmpeg, "ffmpeg", "--ffmpeg or FRAMEPIPE_FFMPEG");
    const fs::path ffprobe = locate_tool(o.ffprobe.empty() ? default_ffprobe(o) : o.ffprobe,
                                         "ffprobe", "--ffprobe or FRAMEPIPE_FFPROBE");
    // Refuses an existing output before the segments are read.
    OutputFile out(o.output, o.overwrite);
    const auto plan = checked_plan(o, ffprobe, container, stats);

    auto phase = Clock::now();
    join(o, ffmpeg, plan, out, container, stats, signals);
    stats.seconds_joining = seconds_since(phase);

    phase = Clock::now();
    if (auto failure = verify(ffmpeg, ffprobe, out.temp_path(), container, plan, stats))
        throw Error(ExitCode::ffmpeg_failed,
                    "the joined video failed verification: " + failure->problem +
                        "; nothing was written and the segments were kept" + failure->tool_output);
    stats.seconds_verifying = seconds_since(phase);
    if (auto signo = signals.take())
        throw Interrupted{*signo};
    finish_join(o, out, stats);
    return 0;
}

int finish(const ConcatOptions& o, const ConcatStats& stats, int exit_status) {
    if (!o.stats_json)
        return exit_status;
    return write_stats_json(*o.stats_json, stats_text(o, stats, exit_status), exit_status);
}

} // namespace

int run_concat(const ConcatOptions& o) {
    ConcatStats stats;
    // Held for the whole join: a signal between two children must not kill framepipe while it
    // owns a temporary file.
    SignalWatcher signals;
    try {
        return finish(o, stats, join_segments(o, stats, signals));
    } catch (const Interrupted& i) {
        print_note("interrupted: nothing was written and the segments were kept");
        return finish(o, stats, exit_status_for_signal(i.signo));
    } catch (const Error& e) {
        finish(o, stats, to_int(e.code()));
        throw;
    }
}

} // namespace framepipe
