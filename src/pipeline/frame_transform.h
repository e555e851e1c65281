// The seam for work framepipe does on frames between the producer and ffmpeg: a transform turns
// one input frame's bytes into one output frame's bytes. Transforms run on worker threads in row
// bands (FrameFeeder), so each must be able to work on any band of a frame while other threads
// work on the others, and form chains: band b of one transform's output may be all that band b of
// the next one reads. Frames stay in order and are counted in input frames.
#pragma once

#include <cstdint>

namespace framepipe {

class FrameTransform {
  public:
    virtual ~FrameTransform() = default;

    virtual std::uint64_t input_bytes() const = 0;
    virtual std::uint64_t output_bytes() const = 0;
    // Rows of the input frame, the unit bands are made of...
    virtual std::uint32_t rows() const = 0;
    // ...in multiples of this (2 for 4:2:0 output, whose chroma rows cover two input rows).
    virtual std::uint32_t row_alignment() const { return 1; }

    // Writes the output that input rows [row_begin, row_end) of a frame give. Called concurrently
    // for disjoint bands of the same frame; row_begin is a multiple of row_alignment().
    virtual void run(const std::uint8_t* in, std::uint8_t* out, std::uint32_t row_begin,
                     std::uint32_t row_end) const = 0;
};

} // namespace framepipe
