// framepipe's RGB-to-Y'CbCr conversion as a pipeline stage.
#pragma once

#include "convert/yuv_convert.h"
#include "pipeline/frame_transform.h"

namespace framepipe::convert {

class YuvTransform : public FrameTransform {
  public:
    explicit YuvTransform(YuvFormat format) : format_(format) {}

    std::uint64_t input_bytes() const override { return format_.input_bytes(); }
    std::uint64_t output_bytes() const override { return format_.output_bytes(); }
    std::uint32_t rows() const override { return format_.size.height; }
    std::uint32_t row_alignment() const override { return format_.chroma == Chroma::s420 ? 2 : 1; }
    void run(const std::uint8_t* in, std::uint8_t* out, std::uint32_t row_begin,
             std::uint32_t row_end) const override {
        convert_rows(format_, in, out, row_begin, row_end);
    }

  private:
    YuvFormat format_;
};

} // namespace framepipe::convert
