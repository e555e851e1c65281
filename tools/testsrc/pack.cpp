#include "pack.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>

namespace framepipe::testsrc {

namespace {

// Converted through int32: SSE2 converts floats to signed integers only.
inline std::uint32_t to8(float v) {
    return static_cast<std::uint32_t>(static_cast<std::int32_t>(clamp_unit(v) * 255.0f + 0.5f));
}
inline std::uint16_t to16(float v) {
    return static_cast<std::uint16_t>(static_cast<std::int32_t>(clamp_unit(v) * 65535.0f + 0.5f));
}
inline float luma(ConstRowPlanes row, std::size_t x) {
    return 0.2126f * row.r[x] + 0.7152f * row.g[x] + 0.0722f * row.b[x];
}

inline void put16(std::uint8_t* out, std::uint16_t v) {
    out[0] = static_cast<std::uint8_t>(v & 0xff);
    out[1] = static_cast<std::uint8_t>(v >> 8);
}

// Four bytes a pixel, 8 bits a channel: built as a little-endian word.
void pack_words(ConstRowPlanes row, std::size_t n, std::uint8_t* out, unsigned r_at, unsigned g_at,
                unsigned b_at, std::uint32_t filler) {
    unsigned rs = 8 * r_at, gs = 8 * g_at, bs = 8 * b_at;
    for (std::size_t x = 0; x < n; ++x) {
        std::uint32_t word =
            to8(row.r[x]) << rs | to8(row.g[x]) << gs | to8(row.b[x]) << bs | filler;
        std::memcpy(out + 4 * x, &word, 4);
    }
}

void pack_triples(ConstRowPlanes row, std::size_t n, std::uint8_t* out, unsigned r_at,
                  unsigned g_at, unsigned b_at) {
    for (std::size_t x = 0; x < n; ++x) {
        out[3 * x + r_at] = static_cast<std::uint8_t>(to8(row.r[x]));
        out[3 * x + g_at] = static_cast<std::uint8_t>(to8(row.g[x]));
        out[3 * x + b_at] = static_cast<std::uint8_t>(to8(row.b[x]));
    }
}

void pack_gray(ConstRowPlanes row, std::size_t n, std::uint8_t* out) {
    for (std::size_t x = 0; x < n; ++x)
        out[x] = static_cast<std::uint8_t>(to8(luma(row, x)));
}

void pack_gray16(ConstRowPlanes row, std::size_t n, std::uint8_t* out) {
    for (std::size_t x = 0; x < n; ++x)
        put16(out + 2 * x, to16(luma(row, x)));
}

void pack_grayf32(ConstRowPlanes row, std::size_t n, std::uint8_t* out) {
    for (std::size_t x = 0; x < n; ++x) {
        float f = luma(row, x);
        std::memcpy(out + 4 * x, &f, 4);
    }
}

void pack_rgb16(ConstRowPlanes row, std::size_t n, std::uint8_t* out, bool alpha) {
    std::size_t step = alpha ? 8 : 6;
    for (std::size_t x = 0; x < n; ++x) {
        std::uint8_t* p = out + step * x;
        put16(p, to16(row.r[x]));
        put16(p + 2, to16(row.g[x]));
        put16(p + 4, to16(row.b[x]));
        if (alpha)
            put16(p + 6, 65535);
    }
}

} // namespace

RowPacker::RowPacker(const PixelFormat& format) {
    struct Layout {
        std::string_view name;
        Kind kind;
        unsigned r, g, b, filler;
        std::uint8_t filler_value;
    };
    static constexpr Layout kLayouts[] = {
        {"rgba", Kind::word8, 0, 1, 2, 3, 255},    {"argb", Kind::word8, 1, 2, 3, 0, 255},
        {"bgra", Kind::word8, 2, 1, 0, 3, 255},    {"abgr", Kind::word8, 3, 2, 1, 0, 255},
        {"rgb0", Kind::word8, 0, 1, 2, 3, 0},      {"bgr0", Kind::word8, 2, 1, 0, 3, 0},
        {"0rgb", Kind::word8, 1, 2, 3, 0, 0},      {"rgb24", Kind::triple8, 0, 1, 2, 0, 0},
        {"bgr24", Kind::triple8, 2, 1, 0, 0, 0},   {"gray", Kind::gray8, 0, 0, 0, 0, 0},
        {"gray16le", Kind::gray16, 0, 0, 0, 0, 0}, {"grayf32le", Kind::grayf32, 0, 0, 0, 0, 0},
        {"rgb48le", Kind::rgb48, 0, 0, 0, 0, 0},   {"rgba64le", Kind::rgba64, 0, 0, 0, 0, 0},
    };
    const auto* layout = std::find_if(std::begin(kLayouts), std::end(kLayouts),
                                      [&](const Layout& l) { return l.name == format.name; });
    if (layout == std::end(kLayouts))
        throw std::logic_error("framepipe-testsrc cannot pack pixel format " +
                               std::string(format.name) + " yet: add it to kLayouts");
    kind_ = layout->kind;
    r_at_ = layout->r;
    g_at_ = layout->g;
    b_at_ = layout->b;
    filler_at_ = layout->filler;
    filler_ = layout->filler_value;
}

void RowPacker::pack(ConstRowPlanes row, std::size_t n, std::uint8_t* out) const {
    switch (kind_) {
    case Kind::word8:
        return pack_words(row, n, out, r_at_, g_at_, b_at_,
                          std::uint32_t{filler_} << (8 * filler_at_));
    case Kind::triple8:
        return pack_triples(row, n, out, r_at_, g_at_, b_at_);
    case Kind::gray8:
        return pack_gray(row, n, out);
    case Kind::gray16:
        return pack_gray16(row, n, out);
    case Kind::grayf32:
        return pack_grayf32(row, n, out);
    case Kind::rgb48:
        return pack_rgb16(row, n, out, false);
    case Kind::rgba64:
        return pack_rgb16(row, n, out, true);
    }
}

} // namespace framepipe::testsrc
