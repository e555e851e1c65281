// The conversion loops, one set per instruction set: yuv_kernels_baseline.cpp for any CPU of the
// architecture, yuv_kernels_avx2.cpp for x86-64 CPUs with AVX2 (measured about twice as fast).
#pragma once

#include "convert/yuv_convert.h"

namespace framepipe::convert {

using RowsFn = void (*)(const YuvFormat&, const std::uint8_t* in, std::uint8_t* out,
                        std::uint32_t row_begin, std::uint32_t row_end);

namespace baseline {
RowsFn kernel_for(const PackedLayout& layout);
}
namespace avx2 {
RowsFn kernel_for(const PackedLayout& layout);
}

} // namespace framepipe::convert
