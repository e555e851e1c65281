// The conversion loops, compiled once per instruction set (yuv_kernels_*.cpp): GCC vectorises
// them for whatever the including file targets, and yuv_convert.cpp picks the best the CPU runs.
// Only those files include this.
#pragma once

#include "convert/kernel_table.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace framepipe::convert::FRAMEPIPE_KERNEL_ISA {

namespace {

// Fixed point with 16 fractional bits: each coefficient is off by at most 2^-17, so a sum over
// three 8-bit samples is off by under 0.006 of a level before rounding, well within the one level
// the conversion promises. 2x2 chroma sums four pixels and shifts two bits more.
constexpr int kShift = 16;

struct Coefficients {
    std::int32_t yr, yg, yb, y_add;
    std::int32_t ur, ug, ub;
    std::int32_t vr, vg, vb;
};

std::int32_t fixed(double v) {
    return static_cast<std::int32_t>(std::lround(v * (1 << kShift)));
}

// BT.709: Kr 0.2126, Kb 0.0722. Limited range puts Y in 16..235 and Cb, Cr in 16..240.
Coefficients coefficients(Range range) {
    constexpr double kr = 0.2126, kb = 0.0722;
    const double ys = range == Range::limited ? 219.0 / 255.0 : 1.0;
    const double cs = range == Range::limited ? 224.0 / 255.0 : 255.0 / 255.0;
    Coefficients c{};
    c.yr = fixed(ys * kr);
    c.yb = fixed(ys * kb);
    // The green term takes the rounding, so white is exactly 235 (or 255) and gray stays gray.
    c.yg = fixed(ys) - c.yr - c.yb;
    c.y_add = ((range == Range::limited ? 16 : 0) << kShift) + (1 << (kShift - 1));
    c.ur = fixed(-cs * kr / (2 * (1 - kb)));
    c.ub = fixed(cs * 0.5);
    c.ug = -c.ur - c.ub; // rows sum to zero: any gray has Cb = Cr = 128 exactly
    c.vr = fixed(cs * 0.5);
    c.vb = fixed(-cs * kb / (2 * (1 - kr)));
    c.vg = -c.vr - c.vb;
    return c;
}

inline std::uint8_t clamp8(std::int32_t v) {
    return static_cast<std::uint8_t>(std::clamp(v, 0, 255));
}

// N bytes a pixel, R G B at these offsets (all 0 for gray). Compile-time strides let GCC
// vectorise the loops.
template <unsigned N, unsigned R, unsigned G, unsigned B>
struct Kernel {
    static void luma(const std::uint8_t* __restrict in, std::uint8_t* __restrict y,
                     std::uint32_t width, const Coefficients c) {
        for (std::uint32_t x = 0; x < width; ++x) {
            const std::uint8_t* p = in + std::size_t{x} * N;
            y[x] = clamp8((c.yr * p[R] + c.yg * p[G] + c.yb * p[B] + c.y_add) >> kShift);
        }
    }

    static void chroma444(const std::uint8_t* __restrict in, std::uint8_t* __restrict u,
                          std::uint8_t* __restrict v, std::uint32_t width, const Coefficients c) {
        constexpr std::int32_t add = (128 << kShift) + (1 << (kShift - 1));
        for (std::uint32_t x = 0; x < width; ++x) {
            const std::uint8_t* p = in + std::size_t{x} * N;
            u[x] = clamp8((c.ur * p[R] + c.ug * p[G] + c.ub * p[B] + add) >> kShift);
            v[x] = clamp8((c.vr * p[R] + c.vg * p[G] + c.vb * p[B] + add) >> kShift);
        }
    }

    // One chroma row from two input rows, `pairs` whole 2x2 blocks.
    static void chroma420(const std::uint8_t* __restrict a, const std::uint8_t* __restrict b,
                          std::uint8_t* __restrict u, std::uint8_t* __restrict v,
                          std::uint32_t pairs, const Coefficients c) {
        constexpr int shift = kShift + 2;
        constexpr std::int32_t add = (128 << shift) + (1 << (shift - 1));
        for (std::uint32_t x = 0; x < pairs; ++x) {
            const std::uint8_t* p = a + std::size_t{x} * 2 * N;
            const std::uint8_t* q = b + std::size_t{x} * 2 * N;
            const std::int32_t r = p[R] + p[N + R] + q[R] + q[N + R];
            const std::int32_t g = p[G] + p[N + G] + q[G] + q[N + G];
            const std::int32_t bl = p[B] + p[N + B] + q[B] + q[N + B];
            u[x] = clamp8((c.ur * r + c.ug * g + c.ub * bl + add) >> shift);
            v[x] = clamp8((c.vr * r + c.vg * g + c.vb * bl + add) >> shift);
        }
    }
};

struct Planes {
    std::uint8_t* y;
    std::uint8_t* u;
    std::uint8_t* v;
    std::uint32_t chroma_width;
};

Planes planes(const YuvFormat& f, std::uint8_t* out) {
    const std::size_t luma = std::size_t{f.padded.width} * f.padded.height;
    const std::size_t chroma = f.chroma == Chroma::s444 ? luma : luma / 4;
    const std::uint32_t cw = f.chroma == Chroma::s444 ? f.padded.width : f.padded.width / 2;
    return {out, out + luma, out + luma + chroma, cw};
}

template <class K>
void rows444(const YuvFormat& f, const std::uint8_t* in, std::uint8_t* out, std::uint32_t begin,
             std::uint32_t end, const Coefficients& c) {
    const Planes p = planes(f, out);
    const std::size_t stride = std::size_t{f.size.width} * f.input.bytes_per_pixel;
    for (std::uint32_t row = begin; row < end; ++row) {
        const std::size_t at = std::size_t{row} * f.padded.width;
        K::luma(in + row * stride, p.y + at, f.size.width, c);
        K::chroma444(in + row * stride, p.u + at, p.v + at, f.size.width, c);
    }
}

// The padding is black RGB: Y is what black converts to, and a chroma sample that covers only
// padding is neutral; one that covers real pixels and padding averages them with zeros.
template <class K>
void rows420(const YuvFormat& f, const std::uint8_t* in, std::uint8_t* out, std::uint32_t begin,
             std::uint32_t end, const Coefficients& c) {
    const Planes p = planes(f, out);
    const unsigned n = f.input.bytes_per_pixel;
    const std::size_t stride = std::size_t{f.size.width} * n;
    const std::uint32_t w = f.size.width, pw = f.padded.width;
    const std::uint8_t black_y = clamp8(c.y_add >> kShift);
    // A real row followed by black, for the odd last column and the missing last row.
    std::vector<std::uint8_t> zeros, edge_a, edge_b;
    if (w != pw || f.size.height != f.padded.height)
        zeros.assign(stride + 2 * std::size_t{n}, 0);
    if (w != pw) {
        edge_a.assign(2 * std::size_t{n}, 0);
        edge_b.assign(2 * std::size_t{n}, 0);
    }
    for (std::uint32_t row = begin; row < end; row += 2) {
        const std::uint8_t* a = in + row * stride;
        const bool has_b = row + 1 < f.size.height;
        const std::uint8_t* b = has_b ? a + stride : zeros.data();
        std::uint8_t* ya = p.y + std::size_t{row} * pw;
        std::uint8_t* yb = ya + pw;
        K::luma(a, ya, w, c);
        if (has_b)
            K::luma(b, yb, w, c);
        else
            std::fill(yb, yb + pw, black_y);
        if (w != pw)
            ya[w] = yb[w] = black_y;
        const std::size_t crow = std::size_t{row / 2} * p.chroma_width;
        K::chroma420(a, b, p.u + crow, p.v + crow, w / 2, c);
        if (w != pw) {
            std::copy_n(a + std::size_t{w - 1} * n, n, edge_a.begin());
            std::copy_n(b + std::size_t{w - 1} * n, n, edge_b.begin());
            K::chroma420(edge_a.data(), edge_b.data(), p.u + crow + w / 2, p.v + crow + w / 2, 1,
                         c);
        }
    }
}

template <class K>
void rows(const YuvFormat& f, const std::uint8_t* in, std::uint8_t* out, std::uint32_t begin,
          std::uint32_t end) {
    const Coefficients c = coefficients(f.range);
    if (f.chroma == Chroma::s444)
        rows444<K>(f, in, out, begin, end, c);
    else
        rows420<K>(f, in, out, begin, end, c);
}

} // namespace

RowsFn kernel_for(const PackedLayout& l) {
    if (l.gray)
        return rows<Kernel<1, 0, 0, 0>>;
    const std::array<unsigned, 4> key{l.bytes_per_pixel, l.r, l.g, l.b};
    using Key = std::array<unsigned, 4>;
    if (key == Key{4, 0, 1, 2})
        return rows<Kernel<4, 0, 1, 2>>;
    if (key == Key{4, 1, 2, 3})
        return rows<Kernel<4, 1, 2, 3>>;
    if (key == Key{4, 2, 1, 0})
        return rows<Kernel<4, 2, 1, 0>>;
    if (key == Key{4, 3, 2, 1})
        return rows<Kernel<4, 3, 2, 1>>;
    if (key == Key{3, 0, 1, 2})
        return rows<Kernel<3, 0, 1, 2>>;
    return rows<Kernel<3, 2, 1, 0>>;
}

} // namespace framepipe::convert::FRAMEPIPE_KERNEL_ISA
