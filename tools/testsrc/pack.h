// Turns rows of planar float colour into the bytes of a pixel format (see pixel_format.cpp).
#pragma once

#include "overlay.h"
#include "pixel_format.h"

#include <cstddef>
#include <cstdint>

namespace framepipe::testsrc {

// v limited to 0..1, written with plain comparisons (not std::clamp's references) so that loops
// using it vectorise.
inline float clamp_unit(float v) {
    v = v > 0.0f ? v : 0.0f;
    return v < 1.0f ? v : 1.0f;
}

class RowPacker {
  public:
    explicit RowPacker(const PixelFormat& format);

    // Writes n pixels of `row` to out (n * bytes_per_pixel bytes). Values are clamped to 0..1.
    void pack(ConstRowPlanes row, std::size_t n, std::uint8_t* out) const;

  private:
    enum class Kind { word8, triple8, gray8, gray16, grayf32, rgb48, rgba64 };
    Kind kind_;
    // For word8 and triple8: the byte each channel goes to, and (word8) the fourth byte's value.
    unsigned r_at_ = 0, g_at_ = 0, b_at_ = 0, filler_at_ = 0;
    std::uint8_t filler_ = 0;
};

} // namespace framepipe::testsrc
