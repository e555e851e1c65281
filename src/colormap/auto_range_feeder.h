// `--range auto:N`: holds the first N input frames while their finite values give the range,
// then starts the colouring FrameFeeder with that range and hands it the held frames, so every
// frame, the first ones too, is coloured with the one range kept for the whole run.
#pragma once

#include "colormap/range_tracker.h"
#include "pipeline/frame_feeder.h"

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace framepipe {

class AutoRangeFeeder : public Feeder {
  public:
    struct Found {
        ValueRange range;
        unsigned frames = 0;           // taken from this many frames (fewer if the input ended)
        bool no_finite_values = false; // so `fallback` was used
    };
    // Starts the feeder that colours with the range found.
    using Start = std::function<std::unique_ptr<FrameFeeder>(const Found&)>;

    // `fallback` is the range when the frames held have no finite value at all.
    AutoRangeFeeder(int input_fd, ScalarFormat format, std::uint64_t frame_bytes, unsigned frames,
                    ValueRange fallback, Start start);

    Wants wants(bool output_writable) const override;
    Result transfer(int output_fd, Ready ready) override;
    std::uint64_t bytes_delivered() const override;
    const std::string& error() const override;

  private:
    Result hold_input();
    Result start_colouring(int output_fd);

    int input_;
    std::uint64_t frame_bytes_;
    ValueRange fallback_;
    Start start_;
    RangeTracker tracker_;
    std::deque<std::vector<std::uint8_t>> held_;
    std::vector<std::uint8_t> filling_;
    std::uint64_t filled_ = 0;
    std::uint64_t partial_bytes_ = 0; // of a last frame cut short while holding
    bool ended_ = false;
    std::string error_;
    std::unique_ptr<FrameFeeder> colouring_;
};

} // namespace framepipe
