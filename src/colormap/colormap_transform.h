// The colormap as a pipeline stage: scalar frames in, 8-bit RGB frames out, row band by row band.
#pragma once

#include "colormap/colorizer.h"
#include "frame_geometry.h"
#include "pipeline/frame_transform.h"

namespace framepipe {

class ColormapTransform : public FrameTransform {
  public:
    ColormapTransform(const ColouringSetup& setup, FrameSize size)
        : colorizer_(setup), width_(size.width), height_(size.height) {}

    std::uint64_t input_bytes() const override {
        return std::uint64_t{width_} * height_ * colorizer_.input_bytes_per_pixel();
    }
    std::uint64_t output_bytes() const override {
        return std::uint64_t{width_} * height_ * colorizer_.output_bytes_per_pixel();
    }
    std::uint32_t rows() const override { return height_; }
    void run(const std::uint8_t* in, std::uint8_t* out, std::uint32_t row_begin,
             std::uint32_t row_end) const override {
        colorizer_.colour_rows(reinterpret_cast<const std::byte*>(in),
                               reinterpret_cast<std::byte*>(out), width_, row_begin, row_end);
    }

  private:
    Colorizer colorizer_;
    std::uint32_t width_;
    std::uint32_t height_;
};

} // namespace framepipe
