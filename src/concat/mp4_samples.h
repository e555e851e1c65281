// A video track's samples in decode order, read from an MP4/MOV index (stts, ctts, stss, stsz):
// how a joined video is verified without asking ffprobe to list its packets, and what its
// samples are compared with in each segment.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace framepipe {

struct Mp4Sample {
    std::int64_t pts = 0; // decode time plus composition offset, in the track's time base
    std::uint32_t size = 0;
    bool key = false;
};

class Mp4Samples {
  public:
    // The first video track of a `moov` payload, which must outlive this. Nothing when there is
    // none or its tables are missing or malformed.
    static std::optional<Mp4Samples> open(std::string_view moov);

    std::uint64_t count() const { return count_; }
    std::uint32_t timescale() const { return timescale_; }
    // Where presentation starts in the track's time: the media time of a single edit at normal
    // rate, 0 without an edit list; nothing for any other edit list (an empty edit, several).
    std::optional<std::int64_t> presentation_start() const { return start_; }

    // The next sample, or nothing after the last one. A table that disagrees with the sample
    // count also ends the walk, and ok() is then false.
    std::optional<Mp4Sample> next();
    bool ok() const { return ok_; }

  private:
    // A run-length table (stts, ctts): entries of (count, value).
    struct Runs {
        std::string_view entries;
        std::uint32_t left = 0, value = 0;
        bool present = false;
        std::optional<std::uint32_t> next(bool& ok);
    };

    Runs durations_, offsets_;
    std::string_view sizes_, sync_;
    std::uint32_t fixed_size_ = 0, timescale_ = 0;
    bool signed_offsets_ = false, all_key_ = true, ok_ = true;
    std::uint64_t count_ = 0, done_ = 0;
    std::int64_t dts_ = 0;
    std::optional<std::int64_t> start_;
};

} // namespace framepipe
