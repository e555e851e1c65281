// Verifying a joined video after ffmpeg wrote it: every frame there exactly once, each on its own
// step of the frame grid, and the stream decodable at every seam.
#pragma once

#include "container.h"
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

// The time base ffmpeg writes a joined video in: mp4 and mov the track timescale framepipe sets,
// Matroska and WebM their fixed milliseconds.
Rational joined_time_base(const Container& container, Rational rate);

// The ffprobe arguments that read a joined video once: every packet's timestamp, and the stream's
// time base and count of decoded frames, where only key frames are decoded. Every segment begins
// with one, so each seam is decoded; the frames between are the segments' own packets, copied
// unchanged, and are counted and timed. One "packet|pts=N" line a packet, then one
// "stream|time_base=1/N|nb_read_frames=N" line.
std::vector<std::string> join_check_args(const std::filesystem::path& video);

// The ffmpeg arguments that decode only a joined MP4/MOV's key frames, which its demuxer leaves
// out of the others without reading them (Matroska's does not), and report the count on
// `progress_fd` as ffmpeg's -progress blocks.
std::vector<std::string> key_frame_decode_args(const std::filesystem::path& video, int progress_fd);

// What that ffprobe run said, line by line.
class JoinReport {
  public:
    JoinReport(std::uint64_t frames, std::size_t segments, Rational rate, Rational time_base);
    void add_line(std::string_view line);
    // The first problem, or nothing. `decode_errors`: whether ffprobe logged errors.
    std::optional<std::string> result(bool decode_errors) const;

  private:
    TimestampCheck timestamps_;
    std::size_t segments_;
    Rational time_base_;
    std::string reported_time_base_;
    std::optional<std::uint64_t> keyframes_;
};

} // namespace framepipe
