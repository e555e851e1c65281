#include "concat/joined_index.h"

namespace framepipe {

std::optional<JoinedIndexCheck> JoinedIndexCheck::open(std::string_view joined_moov,
                                                       std::uint64_t frames, Rational rate,
                                                       Rational time_base) {
    auto joined = Mp4Samples::open(joined_moov);
    if (!joined)
        return std::nullopt;
    JoinedIndexCheck check(*joined, frames, rate, time_base);
    if (time_base.num != 1 || joined->timescale() != static_cast<std::uint64_t>(time_base.den))
        check.fail("its time base is 1/" + std::to_string(joined->timescale()) + ", not " +
                   std::to_string(time_base.num) + "/" + std::to_string(time_base.den));
    if (joined->count() != frames)
        check.fail("it holds " + std::to_string(joined->count()) + " frames, not the " +
                   std::to_string(frames) + " of the segments");
    return check;
}

JoinedIndexCheck::JoinedIndexCheck(Mp4Samples joined, std::uint64_t frames, Rational rate,
                                   Rational time_base)
    : joined_(joined), timestamps_(frames, rate, time_base), frames_(frames) {}

void JoinedIndexCheck::fail(std::string message) {
    if (!problem_)
        problem_ = std::move(message);
}

std::optional<Mp4Sample> JoinedIndexCheck::take() {
    auto sample = joined_.next();
    if (!sample)
        return std::nullopt;
    ++taken_;
    if (!first_pts_)
        first_pts_ = sample->pts;
    key_frames_ += sample->key ? 1 : 0;
    timestamps_.add(sample->pts);
    return sample;
}

void JoinedIndexCheck::add_segment(const std::string& name,
                                   std::optional<std::string_view> segment_moov,
                                   std::uint64_t frames) {
    const std::uint64_t first = taken_;
    auto segment = segment_moov ? Mp4Samples::open(*segment_moov) : std::nullopt;
    for (std::uint64_t i = 0; i < frames; ++i) {
        auto sample = take();
        if (!sample)
            return;
        if (i == 0 && !sample->key)
            fail("frame " + std::to_string(first) + ", the first of segment '" + name +
                 "', is not a key frame");
        auto copied = segment ? segment->next() : std::nullopt;
        if (copied && (copied->size != sample->size || copied->key != sample->key))
            fail("frame " + std::to_string(first + i) + " is " + std::to_string(sample->size) +
                 " bytes" + (sample->key ? " (key)" : "") + ", but it was " +
                 std::to_string(copied->size) + " bytes" + (copied->key ? " (key)" : "") +
                 " as frame " + std::to_string(i) + " of segment '" + name + "'");
    }
}

std::optional<std::string> JoinedIndexCheck::result() {
    // Only to the end of an index of the expected length: a damaged count could be 2^32.
    if (joined_.count() == frames_)
        while (take()) {
        }
    if (!joined_.ok())
        fail("its index is inconsistent: its sample tables disagree on the number of frames");
    if (problem_)
        return problem_;
    if (auto problem = timestamps_.result())
        return problem;
    if (first_pts_ && joined_.presentation_start() != first_pts_)
        return "its edit list does not start the video at its first frame";
    return std::nullopt;
}

} // namespace framepipe
