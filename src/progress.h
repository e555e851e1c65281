// ffmpeg's `-progress` output, turned into numbers. ffmpeg writes `key=value` lines and ends each
// block with `progress=continue` (or `progress=end` for the last one); a value it cannot compute
// yet is "N/A". Encoder-side figures in framepipe's reports come only from here, never from
// guesses on framepipe's side.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string_view>
#include <utility>

namespace framepipe {

struct ProgressBlock {
    std::optional<std::uint64_t> frame;      // frames encoded so far
    std::optional<double> fps;               // ffmpeg's average encode rate
    std::optional<double> bitrate_bps;       // bits per second of output so far
    std::optional<std::uint64_t> total_size; // bytes muxed so far
    std::optional<std::int64_t> out_time_us; // timestamp reached in the output
    std::optional<double> speed;             // output time / wall time, as "1.4x"
    bool end = false;                        // the last block: ffmpeg is done
};

// Collects lines into blocks. Unknown keys are ignored, so newer ffmpeg versions that add keys
// keep working; a malformed or "N/A" value leaves its field unset.
class ProgressParser {
  public:
    // Returns the finished block when `line` is the `progress=` line closing it.
    std::optional<ProgressBlock> feed(std::string_view line);

  private:
    ProgressBlock current_;
};

// A rate over the last few seconds: input MB/s should show a producer that has just stalled,
// which an average since the start would hide for minutes.
class RateMeter {
  public:
    using Clock = std::chrono::steady_clock;
    explicit RateMeter(std::chrono::milliseconds window = std::chrono::seconds(2))
        : window_(window) {}

    // `total` is the running count (e.g. bytes delivered so far) at time `now`.
    void add(Clock::time_point now, std::uint64_t total);
    // Units of `total` per second over the window, or nothing before two samples are far
    // enough apart to mean anything.
    std::optional<double> rate() const;

  private:
    std::chrono::milliseconds window_;
    std::deque<std::pair<Clock::time_point, std::uint64_t>> samples_;
};

} // namespace framepipe
