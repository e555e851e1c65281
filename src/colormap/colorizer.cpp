#include "colormap/colorizer.h"

#include "error.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdio>
#include <cstring>

namespace framepipe {

namespace {

std::uint32_t packed(Rgb rgb) {
    const std::uint8_t bytes[4] = {rgb.r, rgb.g, rgb.b, 255};
    std::uint32_t word = 0;
    std::memcpy(&word, bytes, 4);
    return word;
}

template <typename T>
T load_little_endian(const std::byte* p) {
    T value;
    std::memcpy(&value, p, sizeof value);
    if constexpr (std::endian::native == std::endian::big) {
        auto bytes = std::bit_cast<std::array<std::byte, sizeof(T)>>(value);
        std::reverse(bytes.begin(), bytes.end());
        value = std::bit_cast<T>(bytes);
    }
    return value;
}

// Writes the packed pixels `colour_of(i)` for i in [0, pixels). For 3-byte output every pixel
// but the last is stored as 4 bytes, the fourth overwritten by the next pixel: one store instead
// of three, and the last stays within `out`, whose next byte may belong to another thread.
template <std::size_t OutBytes, typename ColourOf>
[[gnu::always_inline]] inline void store_pixels(std::byte* out, std::size_t pixels,
                                                ColourOf colour_of) {
    if (pixels == 0)
        return;
    for (std::size_t i = 0; i + 1 < pixels; ++i) {
        std::uint32_t c = colour_of(i);
        std::memcpy(out + i * OutBytes, &c, 4);
    }
    std::uint32_t last = colour_of(pixels - 1);
    std::memcpy(out + (pixels - 1) * OutBytes, &last, OutBytes);
}

template <typename ColourOf>
[[gnu::always_inline]] inline void store_pixels(RgbLayout layout, std::byte* out,
                                                std::size_t pixels, ColourOf colour_of) {
    if (layout == RgbLayout::rgb24)
        store_pixels<3>(out, pixels, colour_of);
    else
        store_pixels<4>(out, pixels, colour_of);
}

// The colour-table index of each float of a block: its level, or `nan_index` for NaN and ±inf.
// Pure arithmetic with no table look-up, so that the compiler vectorises it; the look-ups follow
// in a second pass over the block.
template <NumpyArithmetic arithmetic>
[[gnu::always_inline]] inline void float_indices(const std::byte* in, std::int32_t* indices,
                                                 std::size_t count, const LevelScale& scale,
                                                 std::int32_t nan_index) {
    constexpr std::uint32_t exponent = 0x7f800000u;
    for (std::size_t i = 0; i < count; ++i) {
        auto bits = load_little_endian<std::uint32_t>(in + 4 * i);
        std::int32_t level = matplotlib_level<arithmetic>(std::bit_cast<float>(bits), scale);
        indices[i] = (bits & exponent) == exponent ? nan_index : level;
    }
}

// Colours a run of floats: each block's table indices first (pure arithmetic, which the compiler
// vectorises), then the look-ups. Instantiated once for the baseline instruction set and once for
// AVX2, whose wider division (float64 arithmetic divides in double) colours 1.4x the frames a
// second (bench/colormap_bench). Without FMA: no contraction may change a rounding.
template <NumpyArithmetic arithmetic, RgbLayout layout>
[[gnu::always_inline]] inline void colour_float_run(const std::byte* in, std::byte* out,
                                                    std::size_t pixels,
                                                    const FloatKernelData& data) {
    // Blocks small enough for the stack and L1, large enough to amortise the two passes.
    constexpr std::size_t block = 1024;
    std::int32_t indices[block];
    constexpr std::size_t out_bytes = layout == RgbLayout::rgb24 ? 3 : 4;
    auto colour_of = [&](std::size_t i) { return data.colours[indices[i]]; };
    for (std::size_t done = 0; done < pixels; done += block) {
        const std::size_t count = std::min(block, pixels - done);
        float_indices<arithmetic>(in + 4 * done, indices, count, data.scale, data.nan_index);
        store_pixels<out_bytes>(out + done * out_bytes, count, colour_of);
    }
}

template <NumpyArithmetic arithmetic, RgbLayout layout>
void colour_float_run_baseline(const std::byte* in, std::byte* out, std::size_t pixels,
                               const FloatKernelData& data) {
    colour_float_run<arithmetic, layout>(in, out, pixels, data);
}

#if defined(__x86_64__) && defined(__GNUC__)
template <NumpyArithmetic arithmetic, RgbLayout layout>
[[gnu::target("avx2")]] void colour_float_run_avx2(const std::byte* in, std::byte* out,
                                                   std::size_t pixels,
                                                   const FloatKernelData& data) {
    colour_float_run<arithmetic, layout>(in, out, pixels, data);
}
#endif

template <NumpyArithmetic arithmetic, RgbLayout layout>
FloatKernel float_kernel_for(bool baseline) {
#if defined(__x86_64__) && defined(__GNUC__)
    if (!baseline && __builtin_cpu_supports("avx2"))
        return colour_float_run_avx2<arithmetic, layout>;
#endif
    return colour_float_run_baseline<arithmetic, layout>;
}

// Callers check ranges (parse_range does, and an automatic range must be checked with
// range_problem() before use); this keeps a missed check from colouring with NaN arithmetic.
const ColouringSetup& checked(const ColouringSetup& setup) {
    if (auto problem = range_problem(setup.range); !problem.empty()) {
        char range[64];
        std::snprintf(range, sizeof range, "%.9g:%.9g", setup.range.lo, setup.range.hi);
        throw Error(ExitCode::usage,
                    "cannot colour with the range " + std::string(range) + ": " + problem);
    }
    return setup;
}

} // namespace

Colorizer::Colorizer(const ColouringSetup& setup)
    : setup_(checked(setup)), scale_(setup.range, static_cast<unsigned>(setup.map->lut.size())),
      float_kernel_(float_colour_kernel(setup.arithmetic, setup.output)) {
    const auto& lut = setup.map->lut;
    if (setup.input == ScalarFormat::grayf32le) {
        for (const Rgb& rgb : lut)
            colours_.push_back(packed(rgb));
        colours_.push_back(packed(setup.nan_colour));
        return;
    }
    // Integer inputs have few enough values to colour each one in advance.
    std::size_t values = setup.input == ScalarFormat::gray ? 256 : 65536;
    colours_.reserve(values);
    for (std::size_t v = 0; v < values; ++v) {
        auto level = matplotlib_level(static_cast<float>(v), scale_, setup.arithmetic);
        colours_.push_back(packed(lut[static_cast<std::size_t>(level)]));
    }
}

std::size_t Colorizer::input_bytes_per_pixel() const {
    switch (setup_.input) {
    case ScalarFormat::gray:
        return 1;
    case ScalarFormat::gray16le:
        return 2;
    case ScalarFormat::grayf32le:
        break;
    }
    return 4;
}

std::size_t Colorizer::output_bytes_per_pixel() const {
    return setup_.output == RgbLayout::rgb24 ? 3 : 4;
}

FloatKernel float_colour_kernel(NumpyArithmetic arithmetic, RgbLayout layout, bool baseline) {
    using enum NumpyArithmetic;
    const bool rgb24 = layout == RgbLayout::rgb24;
    if (arithmetic == float32)
        return rgb24 ? float_kernel_for<float32, RgbLayout::rgb24>(baseline)
                     : float_kernel_for<float32, RgbLayout::rgba>(baseline);
    return rgb24 ? float_kernel_for<float64, RgbLayout::rgb24>(baseline)
                 : float_kernel_for<float64, RgbLayout::rgba>(baseline);
}

void Colorizer::colour_floats(const std::byte* in, std::byte* out, std::size_t pixels) const {
    float_kernel_(
        in, out, pixels,
        FloatKernelData{scale_, colours_.data(), static_cast<std::int32_t>(colours_.size() - 1)});
}

void Colorizer::colour_integers(const std::byte* in, std::byte* out, std::size_t pixels) const {
    const std::uint32_t* colours = colours_.data();
    if (setup_.input == ScalarFormat::gray16le)
        store_pixels(setup_.output, out, pixels, [&](std::size_t i) {
            return colours[load_little_endian<std::uint16_t>(in + 2 * i)];
        });
    else
        store_pixels(setup_.output, out, pixels,
                     [&](std::size_t i) { return colours[std::to_integer<std::uint8_t>(in[i])]; });
}

void Colorizer::colour(const std::byte* in, std::byte* out, std::size_t pixels) const {
    if (setup_.input == ScalarFormat::grayf32le)
        colour_floats(in, out, pixels);
    else
        colour_integers(in, out, pixels);
}

void Colorizer::colour_rows(const std::byte* frame_in, std::byte* frame_out, std::size_t width,
                            std::size_t first_row, std::size_t last_row) const {
    colour(frame_in + first_row * width * input_bytes_per_pixel(),
           frame_out + first_row * width * output_bytes_per_pixel(),
           (last_row - first_row) * width);
}

} // namespace framepipe
