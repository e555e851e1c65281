// Colours scalar frames (grayf32le, gray16le, gray) into 8-bit RGB with a matplotlib colormap,
// giving each pixel exactly the colour matplotlib's `cmap(Normalize(lo, hi)(v), bytes=True)`
// gives it; NaN and ±infinity (which imshow masks as invalid) take the NaN colour.
//
// Everything is prepared at construction; colouring allocates nothing and only reads the
// Colorizer, so one instance serves any number of threads, each on its own rows.
#pragma once

#include "colormap/colormap_options.h"
#include "colormap/matplotlib_levels.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace framepipe {

// rgb24: R G B. rgba: R G B and 255, which also serves as rgb0.
enum class RgbLayout { rgb24, rgba };

struct ColouringSetup {
    const ColormapTable* map = nullptr;
    ValueRange range;
    Rgb nan_colour{0, 0, 0};
    ScalarFormat input = ScalarFormat::grayf32le;
    RgbLayout output = RgbLayout::rgb24;
    NumpyArithmetic arithmetic = kDefaultArithmetic;
};

// What the float colouring kernel needs of a Colorizer.
struct FloatKernelData {
    const LevelScale& scale;
    const std::uint32_t* colours;
    std::int32_t nan_index;
};
using FloatKernel = void (*)(const std::byte* in, std::byte* out, std::size_t pixels,
                             const FloatKernelData& data);

// The float kernel for these: AVX2's where the processor has it, unless `baseline` (for tests).
FloatKernel float_colour_kernel(NumpyArithmetic arithmetic, RgbLayout layout,
                                bool baseline = false);

class Colorizer {
  public:
    // Throws Error(usage) if the range has a range_problem().
    explicit Colorizer(const ColouringSetup& setup);

    std::size_t input_bytes_per_pixel() const;
    std::size_t output_bytes_per_pixel() const;

    // Colours `pixels` packed pixels: reads pixels * input_bytes_per_pixel() from `in` and writes
    // exactly pixels * output_bytes_per_pixel() to `out`. Neither needs any alignment.
    void colour(const std::byte* in, std::byte* out, std::size_t pixels) const;

    // Rows [first_row, last_row) of packed frames `width` pixels wide, for splitting a frame
    // across threads: each call writes only its own rows' bytes.
    void colour_rows(const std::byte* frame_in, std::byte* frame_out, std::size_t width,
                     std::size_t first_row, std::size_t last_row) const;

  private:
    void colour_floats(const std::byte* in, std::byte* out, std::size_t pixels) const;
    void colour_integers(const std::byte* in, std::byte* out, std::size_t pixels) const;

    ColouringSetup setup_;
    LevelScale scale_;
    // Output pixels as 4 bytes in memory order R G B 255, so one 32-bit store writes a pixel.
    // Floats: one per level, then the NaN colour. Integers: one per possible input value.
    std::vector<std::uint32_t> colours_;
    // The float kernel for this setup and this processor (AVX2 where it has it).
    FloatKernel float_kernel_;
};

} // namespace framepipe
