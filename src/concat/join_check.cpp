#include "concat/join_check.h"

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

void TimestampCheck::add_line(std::string_view line) {
    while (!line.empty() && (line.back() == ',' || line.back() == '\r' || line.back() == ' '))
        line.remove_suffix(1);
    if (line.empty())
        return;
    add(integer(line));
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
    const long double offset = static_cast<long double>(*pts - *origin_);
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
    const auto index = static_cast<std::uint64_t>(k);
    if (index >= frames_) {
        fail("a frame at " + std::to_string(static_cast<double>(offset * seconds_per_tick_)) +
             " s is past the last of the " + std::to_string(frames_) + " frames");
        return;
    }
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

std::vector<std::string> packet_listing_args(const std::filesystem::path& video) {
    return {"-hide_banner",  "-loglevel",  "error", "-select_streams", "v:0",
            "-show_entries", "packet=pts", "-of",   "csv=p=0",         "file:" + video.string()};
}

std::vector<std::string> keyframe_decode_args(const std::filesystem::path& video) {
    return {"-hide_banner",
            "-nostdin",
            "-loglevel",
            "level+error",
            "-skip_frame",
            "nokey",
            "-i",
            "file:" + video.string(),
            "-map",
            "0:v:0",
            "-f",
            "null",
            "-"};
}

} // namespace framepipe
