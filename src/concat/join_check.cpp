#include "concat/join_check.h"

#include "concat/segment_setup.h"

#include <charconv>
#include <cmath>

namespace framepipe {

namespace {

std::optional<std::int64_t> integer(std::string_view text) {
    std::int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return v;
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

std::vector<std::string> key_frame_decode_args(const std::filesystem::path& video,
                                               int progress_fd) {
    return {"-hide_banner", "-nostdin", "-loglevel", "error", "-nostats", "-progress",
            "pipe:" + std::to_string(progress_fd), "-discard", "nokey", "-i",
            "file:" + video.string(), "-map", "0:v:0",
            // Fresh timestamps: the decoder reorders as if the left-out frames were there, so
            // the key frames' own could reach the muxer out of order, which it logs as an error.
            // The timestamps are checked from the index; here only the count matters.
            "-fps_mode", "drop", "-f", "null", "-"};
}

JoinReport::JoinReport(std::uint64_t frames, std::size_t segments, Rational rate,
                       Rational time_base)
    : timestamps_(frames, rate, time_base), segments_(segments), time_base_(time_base) {}

void JoinReport::add_line(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
        line.remove_suffix(1);
    if (line.starts_with("packet|pts=")) {
        timestamps_.add(integer(line.substr(11)));
        return;
    }
    if (!line.starts_with("stream|"))
        return;
    auto value = [&](std::string_view key) {
        auto at = line.find("|" + std::string(key) + "=");
        if (at == std::string_view::npos)
            return std::string_view();
        auto rest = line.substr(at + key.size() + 2);
        return rest.substr(0, rest.find('|'));
    };
    reported_time_base_ = value("time_base");
    if (auto n = integer(value("nb_read_frames")); n && *n >= 0)
        keyframes_ = static_cast<std::uint64_t>(*n);
}

std::optional<std::string> JoinReport::result(bool decode_errors) const {
    if (decode_errors)
        return "it does not decode cleanly";
    const std::string expected =
        std::to_string(time_base_.num) + "/" + std::to_string(time_base_.den);
    if (reported_time_base_ != expected)
        return "its time base is " +
               (reported_time_base_.empty() ? std::string("unknown") : reported_time_base_) +
               ", not " + expected;
    if (auto problem = timestamps_.result())
        return problem;
    if (!keyframes_ || *keyframes_ < segments_)
        return "only " + std::to_string(keyframes_.value_or(0)) +
               " key frames decode, but each of the " + std::to_string(segments_) +
               " segments starts with one";
    return std::nullopt;
}

} // namespace framepipe
