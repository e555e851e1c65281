// Which of a colormap's N levels matplotlib gives a 32-bit value: `cmap(Normalize(lo, hi)(v))`,
// reproduced to the last bit.
//
// matplotlib (3.6 to 3.10 alike) keeps float32 data in float32: Normalize computes
// `(v - vmin) / (vmax - vmin)` in place, then the colormap takes `int(x * N)` (x * N also in
// float32), x == 1 giving the last level, negatives the first (the "under" colour, which is the
// first colour), anything above 1 the last. How the float64 vmin and vmax enter that arithmetic
// depends on numpy: numpy 1.x (Debian 12) rounds them to float32 and computes in float32; numpy 2
// (Debian 13, NEP 50) computes each step in float64 and rounds the result to float32. The two
// disagree only for values within a few float32 steps of a level boundary. Integer data (uint8,
// uint16) reaches Normalize as float32, which holds every such value exactly.
#pragma once

#include "colormap/colormap_options.h"

#include <cstdint>
#include <limits>

namespace framepipe {

enum class NumpyArithmetic {
    float32, // numpy 1.x
    float64, // numpy 2 and later
};

// The arithmetic framepipe reproduces: today's numpy. (The other is there for the tests.)
constexpr NumpyArithmetic kDefaultArithmetic = NumpyArithmetic::float64;

// The constants of one Normalize and colormap, in the types matplotlib's arithmetic uses.
struct LevelScale {
    LevelScale(ValueRange range, unsigned levels)
        : lo(range.lo), width(range.hi - range.lo), lo32(static_cast<float>(range.lo)),
          width32(static_cast<float>(width)), levels32(static_cast<float>(levels)),
          top32(static_cast<float>(levels - 1)) {
        // Normalize gives every value 0 when vmin == vmax; dividing by infinity does the same.
        if (width == 0) {
            width = std::numeric_limits<double>::infinity();
            width32 = std::numeric_limits<float>::infinity();
        }
    }
    double lo, width;
    float lo32, width32, levels32, top32;
};

// The level (0..levels-1) of a finite v; the range must have no range_problem(). Inline so that
// the colouring loop vectorises around it.
template <NumpyArithmetic arithmetic>
inline std::int32_t matplotlib_level(float v, const LevelScale& s) {
    float x = 0;
    if constexpr (arithmetic == NumpyArithmetic::float32) {
        x = (v - s.lo32) / s.width32;
    } else {
        auto shifted = static_cast<float>(static_cast<double>(v) - s.lo);
        x = static_cast<float>(static_cast<double>(shifted) / s.width);
    }
    float scaled = x * s.levels32;
    // Truncation of [0, N) is matplotlib's int(); below 0 is "under" (level 0), N - 1 and above
    // is the last level. The comparisons also send a NaN to level 0 rather than into an
    // undefined conversion.
    scaled = scaled > 0 ? scaled : 0;
    scaled = scaled < s.top32 ? scaled : s.top32;
    return static_cast<std::int32_t>(scaled);
}

inline std::int32_t matplotlib_level(float v, const LevelScale& s, NumpyArithmetic arithmetic) {
    return arithmetic == NumpyArithmetic::float32
               ? matplotlib_level<NumpyArithmetic::float32>(v, s)
               : matplotlib_level<NumpyArithmetic::float64>(v, s);
}

} // namespace framepipe
