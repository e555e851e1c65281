// Verifying a joined video after ffmpeg wrote it: every frame there exactly once, each on its own
// step of the frame grid, and the stream decodable at every seam.
#pragma once

#include "rational.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace framepipe {

// Takes each packet's presentation timestamp, in any order (decode order with B-frames), and
// checks that together they are frames 0..frames-1 of the rate, each once. Remembers one bit a
// frame, so memory stays small however long the video.
class TimestampCheck {
  public:
    TimestampCheck(std::uint64_t frames, Rational rate, Rational time_base);

    // One packet's line from ffprobe's `-show_entries packet=pts -of csv=p=0`.
    void add_line(std::string_view line);
    void add(std::optional<std::int64_t> pts);

    // The first problem, or nothing when the packets were exactly the expected frames.
    std::optional<std::string> result() const;

  private:
    void fail(std::string message);

    std::uint64_t frames_;
    long double ticks_per_frame_;
    long double seconds_per_tick_;
    std::optional<std::int64_t> origin_;
    std::vector<bool> seen_;
    std::uint64_t packets_ = 0;
    std::optional<std::string> problem_;
};

// "1/15360" -> {1, 15360}; nothing when it is not a fraction of positive whole numbers.
std::optional<Rational> parse_time_base(std::string_view text);

// The ffprobe arguments listing a video's packet timestamps, one line each.
std::vector<std::string> packet_listing_args(const std::filesystem::path& video);

// The ffmpeg arguments decoding every key frame and nothing else. Every segment begins with one,
// so each seam is decoded; the frames between are the segments' own packets, copied unchanged,
// and already counted and timed.
std::vector<std::string> keyframe_decode_args(const std::filesystem::path& video);

} // namespace framepipe
