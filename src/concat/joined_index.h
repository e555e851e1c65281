// Verifying a joined MP4/MOV from its own index, without an ffprobe that lists every packet: the
// frame count, every frame on its own step of the frame grid, presentation starting at the first
// frame, and each sample the same size, in the same order, as the segment's sample it was copied
// from (the join copies packets unchanged). Pure: the indexes are handed in as bytes.
#pragma once

#include "concat/join_check.h"
#include "concat/mp4_samples.h"
#include "rational.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace framepipe {

class JoinedIndexCheck {
  public:
    // `joined_moov` (which must outlive this): the joined video's index; it should hold `frames`
    // frames at `rate` in `time_base`. Nothing when the index is not one Mp4Samples reads.
    static std::optional<JoinedIndexCheck> open(std::string_view joined_moov, std::uint64_t frames,
                                                Rational rate, Rational time_base);

    // The next segment in frame order, by its index (nothing: not readable here, so its samples
    // are only timed and counted) and the number of frames it holds.
    void add_segment(const std::string& name, std::optional<std::string_view> segment_moov,
                     std::uint64_t frames);

    // After the last segment: the first problem found, or nothing.
    std::optional<std::string> result();

    // The joined video's key frames: what decoding only those must produce.
    std::uint64_t key_frames() const { return key_frames_; }

  private:
    JoinedIndexCheck(Mp4Samples joined, std::uint64_t frames, Rational rate, Rational time_base);
    std::optional<Mp4Sample> take();
    void fail(std::string message);

    Mp4Samples joined_;
    TimestampCheck timestamps_;
    std::uint64_t frames_, taken_ = 0, key_frames_ = 0;
    std::optional<std::int64_t> first_pts_;
    std::optional<std::string> problem_;
};

} // namespace framepipe
