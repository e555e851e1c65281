#include "convert/yuv_convert.h"

#include "convert/kernel_table.h"

#include <algorithm>
#include <array>

namespace framepipe::convert {

namespace {

RowsFn best_kernel(const PackedLayout& l) {
#if FRAMEPIPE_HAVE_AVX2
    if (__builtin_cpu_supports("avx2"))
        return avx2::kernel_for(l);
#endif
    return baseline::kernel_for(l);
}

} // namespace

std::optional<PackedLayout> packed_layout(std::string_view f) {
    struct Entry {
        std::string_view name;
        PackedLayout layout;
    };
    static constexpr std::array kLayouts{
        Entry{"rgba", {4, 0, 1, 2, false}},  Entry{"rgb0", {4, 0, 1, 2, false}},
        Entry{"argb", {4, 1, 2, 3, false}},  Entry{"0rgb", {4, 1, 2, 3, false}},
        Entry{"bgra", {4, 2, 1, 0, false}},  Entry{"bgr0", {4, 2, 1, 0, false}},
        Entry{"abgr", {4, 3, 2, 1, false}},  Entry{"rgb24", {3, 0, 1, 2, false}},
        Entry{"bgr24", {3, 2, 1, 0, false}}, Entry{"gray", {1, 0, 0, 0, true}},
    };
    for (const auto& e : kLayouts)
        if (e.name == f)
            return e.layout;
    return std::nullopt;
}

std::optional<Chroma> chroma_for(std::string_view pix_fmt) {
    if (pix_fmt == "yuv420p")
        return Chroma::s420;
    if (pix_fmt == "yuv444p")
        return Chroma::s444;
    return std::nullopt;
}

std::optional<Range> range_for(std::string_view color_range) {
    if (color_range == "tv")
        return Range::limited;
    if (color_range == "pc")
        return Range::full;
    return std::nullopt;
}

std::uint64_t YuvFormat::input_bytes() const {
    return std::uint64_t{size.width} * size.height * input.bytes_per_pixel;
}

std::uint64_t YuvFormat::output_bytes() const {
    const std::uint64_t luma = std::uint64_t{padded.width} * padded.height;
    return chroma == Chroma::s444 ? 3 * luma : luma + luma / 2;
}

YuvFormat make_yuv_format(const PackedLayout& input, FrameSize size, Chroma chroma, Range range) {
    FrameSize padded = size;
    if (chroma == Chroma::s420) {
        padded.width += size.width % 2;
        padded.height += size.height % 2;
    }
    return {input, size, padded, chroma, range};
}

void convert_rows(const YuvFormat& f, const std::uint8_t* in, std::uint8_t* out,
                  std::uint32_t row_begin, std::uint32_t row_end) {
    best_kernel(f.input)(f, in, out, row_begin, std::min(row_end, f.size.height));
}

} // namespace framepipe::convert
