// `--range auto` and `auto:N`: the smallest and largest finite value of the first N frames, the
// range then kept for the whole run so that the video does not flicker.
#pragma once

#include "colormap/colormap_options.h"

#include <cstddef>
#include <optional>
#include <span>

namespace framepipe {

class RangeTracker {
  public:
    RangeTracker(ScalarFormat format, unsigned frames_wanted);

    // Takes in one frame (or any whole number of pixels of one); NaN and ±inf are skipped, as
    // imshow masks them.
    void add(std::span<const std::byte> pixels);
    void end_frame() { ++frames_seen_; }

    bool complete() const { return frames_seen_ >= frames_wanted_; }
    unsigned frames_seen() const { return frames_seen_; }

    // The range, once any finite value was seen (a frame of only NaN has none).
    std::optional<ValueRange> range() const;

  private:
    ScalarFormat format_;
    unsigned frames_wanted_;
    unsigned frames_seen_ = 0;
    bool any_ = false;
    double lo_ = 0;
    double hi_ = 0;
};

} // namespace framepipe
