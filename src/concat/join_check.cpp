#include "concat/join_check.h"

#include "concat/segment_setup.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace framepipe {

namespace {

std::optional<std::int64_t> integer(std::string_view text) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return v;
}

// The value of `key` in one of ffprobe's compact lines ("stream|time_base=1/15360|...").
std::string_view field(std::string_view line, std::string_view key) {
    auto at = line.find("|" + std::string(key) + "=");
    if (at == std::string_view::npos)
        return {};
    auto rest = line.substr(at + key.size() + 2);
    return rest.substr(0, rest.find('|'));
}

std::optional<std::uint64_t> count(std::string_view text) {
    auto n = integer(text);
    if (!n || *n < 0)
        return std::nullopt;
    return static_cast<std::uint64_t>(*n);
}

std::string_view without_trailing_space(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
        line.remove_suffix(1);
    return line;
}

std::optional<std::string> time_base_problem(std::string_view reported, Rational expected) {
    const std::string text = std::to_string(expected.num) + "/" + std::to_string(expected.den);
    if (reported == text)
        return std::nullopt;
    return "its time base is " +
           (reported.empty() ? std::string("unknown") : std::string(reported)) + ", not " + text;
}

} // namespace

TimestampCheck::TimestampCheck(std::uint64_t frames, Rational rate, Rational time_base)
    : frames_(frames), ticks_per_frame_(static_cast<long double>(rate.den) * time_base.den /
                                        (static_cast<long double>(rate.num) * time_base.num)),
      seconds_per_tick_(static_cast<long double>(time_base.num) / time_base.den),
      seen_(frames, false) {}

void TimestampCheck::fail(std::string message) {
    if (!problem_)
        problem_ = std::move(message);
}

void TimestampCheck::add(std::optional<std::int64_t> pts) {
    ++packets_;
    if (!pts) {
        fail("packet " + std::to_string(packets_) + " has no timestamp");
        return;
    }
    // The first packet in decode order is a key frame that no frame is shown before (segments
    // use closed GOPs), so its time is frame 0's.
    if (!origin_)
        origin_ = *pts;
    // In long double, not int64: timestamps far apart (a damaged file's) would overflow.
    const long double offset = static_cast<long double>(*pts) - static_cast<long double>(*origin_);
    const long double k = std::round(offset / ticks_per_frame_);
    // Within one tick: a time base coarser than the frame rate (WebM's milliseconds) rounds each
    // frame's time, and the join rounds each segment's start once more.
    if (std::fabs(offset - k * ticks_per_frame_) > 1.0L + 1e-6L || k < 0) {
        fail("a frame at " + std::to_string(static_cast<double>(offset * seconds_per_tick_)) +
             " s is not on the frame grid (frames are " +
             std::to_string(static_cast<double>(ticks_per_frame_ * seconds_per_tick_)) +
             " s apart)");
        return;
    }
    // Compared before the conversion, which is undefined for a k beyond 64 bits.
    if (k >= static_cast<long double>(frames_)) {
        fail("a frame at " + std::to_string(static_cast<double>(offset * seconds_per_tick_)) +
             " s is past the last of the " + std::to_string(frames_) + " frames");
        return;
    }
    const auto index = static_cast<std::uint64_t>(k);
    if (seen_[index])
        fail("frame " + std::to_string(index) + " appears twice");
    seen_[index] = true;
}

std::optional<std::string> TimestampCheck::result() const {
    if (problem_)
        return problem_;
    if (packets_ != frames_)
        return "it holds " + std::to_string(packets_) + " frames, not the " +
               std::to_string(frames_) + " of the segments";
    return std::nullopt;
}

std::optional<Rational> parse_time_base(std::string_view text) {
    auto slash = text.find('/');
    if (slash == std::string_view::npos)
        return std::nullopt;
    auto num = integer(text.substr(0, slash));
    auto den = integer(text.substr(slash + 1));
    if (!num || !den || *num <= 0 || *den <= 0)
        return std::nullopt;
    return Rational{*num, *den};
}

Rational joined_time_base(const Container& container, Rational rate) {
    if (is_mov_family(container))
        return {1, segment_timescale(rate)};
    return {1, 1000};
}

std::vector<std::string> join_check_args(const std::filesystem::path& video) {
    return {"-hide_banner",
            "-loglevel",
            "error",
            "-skip_frame",
            "nokey",
            "-count_frames",
            "-select_streams",
            "v:0",
            "-show_entries",
            "packet=pts:stream=time_base,nb_read_frames",
            "-of",
            "compact",
            "file:" + video.string()};
}

JoinReport::JoinReport(std::uint64_t frames, std::size_t segments, Rational rate,
                       Rational time_base)
    : timestamps_(frames, rate, time_base), segments_(segments), time_base_(time_base) {}

void JoinReport::add_line(std::string_view text) {
    const auto line = without_trailing_space(text);
    if (line.starts_with("packet|pts=")) {
        timestamps_.add(integer(field(line, "pts")));
        return;
    }
    if (!line.starts_with("stream|"))
        return;
    reported_time_base_ = field(line, "time_base");
    keyframes_ = count(field(line, "nb_read_frames"));
}

std::optional<std::string> JoinReport::result(bool decode_errors) const {
    if (decode_errors)
        return "it does not decode cleanly";
    if (auto problem = time_base_problem(reported_time_base_, time_base_))
        return problem;
    if (auto problem = timestamps_.result())
        return problem;
    if (!keyframes_ || *keyframes_ < segments_)
        return "only " + std::to_string(keyframes_.value_or(0)) +
               " key frames decode, but each of the " + std::to_string(segments_) +
               " segments starts with one";
    return std::nullopt;
}

std::vector<std::string> seam_check_args(const std::filesystem::path& video,
                                         const std::vector<std::uint64_t>& starts, Rational rate) {
    std::string intervals;
    for (auto start : starts) {
        const long double seconds = (static_cast<long double>(start) + 0.5L) * rate.den / rate.num;
        char text[64];
        std::snprintf(text, sizeof text, "%.9Lf%%+#1", seconds);
        intervals += (intervals.empty() ? "" : ",") + std::string(text);
    }
    return {"-hide_banner",
            "-loglevel",
            "error",
            "-skip_frame",
            "nokey",
            "-count_frames",
            "-select_streams",
            "v:0",
            "-read_intervals",
            intervals,
            "-show_entries",
            "packet=pts:stream=time_base,nb_read_frames",
            "-of",
            "compact",
            "file:" + video.string()};
}

SeamReport::SeamReport(std::vector<std::uint64_t> starts, Rational rate, Rational time_base)
    : starts_(std::move(starts)), rate_(rate), time_base_(time_base) {}

void SeamReport::add_line(std::string_view text) {
    const auto line = without_trailing_space(text);
    if (line.starts_with("packet|pts=")) {
        pts_.push_back(integer(field(line, "pts")));
        return;
    }
    if (!line.starts_with("stream|"))
        return;
    reported_time_base_ = field(line, "time_base");
    decoded_ = count(field(line, "nb_read_frames"));
}

std::optional<std::string> SeamReport::result(bool decode_errors) const {
    if (decode_errors)
        return "it does not decode cleanly at its seams";
    if (auto problem = time_base_problem(reported_time_base_, time_base_))
        return problem;
    if (pts_.size() != starts_.size())
        return "seeking to its " + std::to_string(starts_.size()) + " seams found " +
               std::to_string(pts_.size()) + " frames";
    const long double ticks_per_frame = static_cast<long double>(rate_.den) * time_base_.den /
                                        (static_cast<long double>(rate_.num) * time_base_.num);
    for (std::size_t i = 0; i < pts_.size(); ++i) {
        if (!pts_[i] || !pts_.front())
            return "the frame at seam " + std::to_string(i + 1) + " has no timestamp";
        const long double offset =
            static_cast<long double>(*pts_[i]) - static_cast<long double>(*pts_.front());
        const long double expected =
            (static_cast<long double>(starts_[i]) - static_cast<long double>(starts_.front())) *
            ticks_per_frame;
        if (std::fabs(offset - expected) > 1.0L + 1e-6L)
            return "the key frame found at seam " + std::to_string(i + 1) + " is not frame " +
                   std::to_string(starts_[i]);
    }
    if (decoded_.value_or(0) != starts_.size())
        return "only " + std::to_string(decoded_.value_or(0)) + " of its " +
               std::to_string(starts_.size()) + " seams decode";
    return std::nullopt;
}

} // namespace framepipe
