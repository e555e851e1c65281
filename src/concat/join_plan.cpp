#include "concat/join_plan.h"

#include "error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace framepipe {

namespace {

[[noreturn]] void refuse(const std::string& message) {
    throw Error(ExitCode::segments, message);
}

std::string range(std::uint64_t first, std::uint64_t end) {
    return std::to_string(first) + "-" + std::to_string(end - 1);
}

std::string quoted(const SegmentInfo& s) {
    return "'" + s.path + "'";
}

// A segment that ffprobe read with errors, or that holds fewer frames than its container says.
void check_whole(const SegmentInfo& s) {
    if (!s.problems.empty())
        refuse("segment " + quoted(s) + " is damaged or truncated (ffprobe: " + s.problems.front() +
               "): make it again");
    if (s.frames == 0)
        refuse("segment " + quoted(s) + " holds no frames: make it again");
    if (s.index_frames && *s.index_frames != s.frames)
        refuse("segment " + quoted(s) + " is truncated: its index lists " +
               std::to_string(*s.index_frames) + " frames but only " + std::to_string(s.frames) +
               " can be read; make it again");
    // Matroska and WebM have no frame index, but their duration, written at the end, still
    // tells a cut-off file: more than one frame longer than the frames present.
    if (s.duration && !s.index_frames) {
        const double frames_long = *s.duration * s.tag->rate.value();
        if (frames_long > static_cast<double>(s.frames) + 1.5)
            refuse("segment " + quoted(s) + " is truncated: it should last " +
                   std::to_string(static_cast<std::uint64_t>(std::llround(frames_long))) +
                   " frames but only " + std::to_string(s.frames) + " can be read; make it again");
    }
}

void check_matches(const SegmentInfo& s, const SegmentInfo& first) {
    const auto& a = *first.tag;
    const auto& b = *s.tag;
    const std::string advice =
        ": make every segment with the same preset, --size, --pix-fmt and --fps";
    if (b.preset != a.preset)
        refuse("segment " + quoted(s) + " was made with preset " + b.preset + ", but " +
               quoted(first) + " with " + a.preset + advice);
    if (!(b.rate == a.rate))
        refuse("segment " + quoted(s) + " is " + to_string(b.rate) + " fps, but " + quoted(first) +
               " is " + to_string(a.rate) + " fps" + advice);
    for (std::size_t i = 0; i < s.properties.size() && i < first.properties.size(); ++i)
        if (s.properties[i] != first.properties[i])
            refuse("segment " + quoted(s) + " does not match " + quoted(first) + ": its " +
                   s.properties[i].first + " is " + s.properties[i].second + ", not " +
                   first.properties[i].second + advice);
}

void check_contiguous(const std::vector<SegmentInfo>& plan,
                      std::optional<std::uint64_t> expected_frames) {
    std::uint64_t next = 0;
    const SegmentInfo* previous = nullptr;
    for (const auto& s : plan) {
        if (s.first() > next)
            refuse("frames " + range(next, s.first()) + " are missing: no segment starts at " +
                   std::to_string(next) +
                   (previous
                        ? " (" + quoted(*previous) + " ends at frame " + std::to_string(next - 1) +
                              ", " + quoted(s) + " starts at " + std::to_string(s.first()) + ")"
                        : " (the first segment, " + quoted(s) + ", starts at " +
                              std::to_string(s.first()) + ")"));
        if (s.first() < next)
            refuse("segment " + quoted(s) + " (frames " + range(s.first(), s.end()) +
                   ") overlaps " + quoted(*previous) + " (frames " +
                   range(previous->first(), previous->end()) + "): frames " +
                   range(s.first(), std::min(next, s.end())) + " are in both; remove one");
        next = s.end();
        previous = &s;
    }
    if (expected_frames && next < *expected_frames)
        refuse("frames " + range(next, *expected_frames) + " are missing: no segment starts at " +
               std::to_string(next) + " (--frames is " + std::to_string(*expected_frames) + ")");
    if (expected_frames && next > *expected_frames)
        refuse("the segments hold " + std::to_string(next) + " frames, but --frames is " +
               std::to_string(*expected_frames));
}

} // namespace

std::vector<SegmentInfo> plan_join(std::vector<SegmentInfo> segments,
                                   std::optional<std::uint64_t> expected_frames) {
    for (const auto& s : segments)
        if (!s.tag)
            refuse("'" + s.path +
                   "' is not a framepipe segment (it has no segment tag): make each segment "
                   "with 'framepipe --segment-start N ...'");
    for (const auto& s : segments)
        check_whole(s);
    // Sorted by first frame, not by name: part-1000 sorts before part-300 as text.
    std::stable_sort(
        segments.begin(), segments.end(),
        [](const SegmentInfo& a, const SegmentInfo& b) { return a.first() < b.first(); });
    for (const auto& s : segments)
        check_matches(s, segments.front());
    check_contiguous(segments, expected_frames);
    return segments;
}

void check_join_container(const std::vector<SegmentInfo>& plan, const Container& output,
                          const std::string& output_name) {
    if (!is_mov_family(output))
        return;
    const SegmentInfo& first = plan.front();
    const Rational rate = first.tag->rate;
    const std::string mov_time_base = "1/" + std::to_string(segment_timescale(rate));
    for (const auto& [label, value] : first.properties)
        if (label == "time base" && value != mov_time_base)
            throw Error(ExitCode::usage,
                        "cannot join " + quoted(first) + " and the other segments into '" +
                            output_name + "': their time base (" + value + " s) cannot hold " +
                            to_string(rate) +
                            " fps frames evenly in an mp4 or mov; join them into .mkv or .webm, "
                            "or make .mp4 or .mov segments");
}

std::vector<std::string> build_join_args(const std::filesystem::path& list,
                                         const std::filesystem::path& output,
                                         const Container& container, Rational rate,
                                         int progress_fd) {
    std::vector<std::string> a{"-nostdin",
                               "-loglevel",
                               "level+info",
                               "-nostats",
                               "-progress",
                               "pipe:" + std::to_string(progress_fd),
                               "-stats_period",
                               "0.25",
                               "-y",
                               "-f",
                               "concat",
                               "-safe",
                               "0",
                               "-auto_convert",
                               "0",
                               "-i",
                               "file:" + list.string(),
                               "-map",
                               "0:v:0",
                               "-c",
                               "copy",
                               "-metadata",
                               std::string(kSegmentTagKey) + "="};
    if (is_mov_family(container))
        a.insert(a.end(), {"-video_track_timescale", std::to_string(segment_timescale(rate)),
                           "-movflags", "+faststart"});
    a.insert(a.end(), {"-f", std::string(container.muxer), "file:" + output.string()});
    return a;
}

std::string ffconcat_quote(const std::string& text) {
    // Inside single quotes nothing is special but the quote itself, which is closed, escaped and
    // reopened, as in a shell.
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::uint64_t frame_start_micros(std::uint64_t frame, Rational rate) {
    // In integers, as a double would drift over a long video; 128 bits, as frame x den x 10^6
    // can pass 2^64.
    __extension__ using Wide = unsigned __int128;
    const Wide num = Wide{frame} * static_cast<Wide>(rate.den) * 1000000u;
    const auto den = static_cast<Wide>(rate.num);
    return static_cast<std::uint64_t>((num + den / 2) / den);
}

std::string seconds_text(std::uint64_t micros) {
    char text[48];
    std::snprintf(text, sizeof text, "%llu.%06llu",
                  static_cast<unsigned long long>(micros / 1000000),
                  static_cast<unsigned long long>(micros % 1000000));
    return text;
}

std::string concat_list(const std::vector<SegmentInfo>& plan) {
    std::string text = "ffconcat version 1.0\n";
    for (const auto& s : plan) {
        text += "file " + ffconcat_quote(std::filesystem::absolute(s.path).string()) + "\n";
        const Rational rate = s.tag->rate;
        text +=
            "duration " +
            seconds_text(frame_start_micros(s.end(), rate) - frame_start_micros(s.first(), rate)) +
            "\n";
    }
    return text;
}

} // namespace framepipe
