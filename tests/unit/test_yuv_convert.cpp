// framepipe's own RGB-to-Y'CbCr conversion against an exact floating-point BT.709 reference.
#include "convert/yuv_convert.h"

#include "convert/kernel_table.h"

#include "catch.h"
#include <array>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

using namespace framepipe;
using namespace framepipe::convert;

namespace {

struct Reference {
    double y, cb, cr;
};

// BT.709 straight from its definition, in doubles.
Reference reference(double r, double g, double b, Range range) {
    const double kr = 0.2126, kb = 0.0722, kg = 1 - kr - kb;
    const double luma = kr * r + kg * g + kb * b;
    const double pb = (b - luma) / (2 * (1 - kb)), pr = (r - luma) / (2 * (1 - kr));
    if (range == Range::limited)
        return {16 + 219 * luma / 255, 128 + 224 * pb / 255, 128 + 224 * pr / 255};
    auto clip = [](double v) { return std::min(v, 255.0); };
    return {luma, clip(128 + pb), clip(128 + pr)};
}

// Correct rounding, give or take the fixed point's 0.006: stricter than the promised 1 level.
bool close(std::uint8_t got, double want) {
    return std::abs(got - want) <= 0.51;
}

const PackedLayout kRgba = *packed_layout("rgba");

std::vector<std::uint8_t> convert_frame(const YuvFormat& f, const std::vector<std::uint8_t>& in) {
    std::vector<std::uint8_t> out(f.output_bytes(), 0xAA);
    convert_rows(f, in.data(), out.data(), 0, f.size.height);
    return out;
}

std::vector<std::uint8_t> random_rgba(FrameSize s, unsigned seed) {
    std::mt19937 rng(seed);
    std::vector<std::uint8_t> v(std::size_t{s.width} * s.height * 4);
    for (auto& b : v)
        b = static_cast<std::uint8_t>(rng());
    return v;
}

// The same pixels in another layout: alpha or unused bytes get junk, which must be ignored.
std::vector<std::uint8_t> relayout(const std::vector<std::uint8_t>& rgba, const PackedLayout& l) {
    const std::size_t pixels = rgba.size() / 4;
    std::vector<std::uint8_t> out(pixels * l.bytes_per_pixel, 0x5A);
    for (std::size_t i = 0; i < pixels; ++i) {
        const std::uint8_t* p = &rgba[i * 4];
        std::uint8_t* q = &out[i * l.bytes_per_pixel];
        if (l.gray) {
            q[0] = p[0];
            continue;
        }
        q[l.r] = p[0];
        q[l.g] = p[1];
        q[l.b] = p[2];
    }
    return out;
}

} // namespace

TEST_CASE("every one of the 2^24 colours converts to Y, Cb and Cr within rounding, both ranges") {
    const auto range = GENERATE(Range::limited, Range::full);
    // One 256x256 frame per red level: all greens by all blues.
    const auto f = make_yuv_format(kRgba, {256, 256}, Chroma::s444, range);
    std::vector<std::uint8_t> in(f.input_bytes());
    std::vector<std::uint8_t> out(f.output_bytes());
    const std::size_t plane = 256 * 256;
    std::uint64_t wrong = 0;
    for (int r = 0; r < 256; ++r) {
        for (std::size_t i = 0; i < plane; ++i) {
            in[i * 4] = static_cast<std::uint8_t>(r);
            in[i * 4 + 1] = static_cast<std::uint8_t>(i >> 8);
            in[i * 4 + 2] = static_cast<std::uint8_t>(i);
        }
        convert_rows(f, in.data(), out.data(), 0, 256);
        for (std::size_t i = 0; i < plane; ++i) {
            const auto want =
                reference(r, static_cast<double>(i >> 8), static_cast<double>(i & 255), range);
            wrong += !close(out[i], want.y) + !close(out[plane + i], want.cb) +
                     !close(out[2 * plane + i], want.cr);
        }
    }
    CHECK(wrong == 0);
}

TEST_CASE("black, white and grays land exactly on the range's ends and on neutral chroma") {
    const auto f = make_yuv_format(kRgba, {256, 2}, Chroma::s420, Range::limited);
    std::vector<std::uint8_t> in(f.input_bytes());
    for (std::size_t i = 0; i < 512; ++i)
        in[i * 4] = in[i * 4 + 1] = in[i * 4 + 2] = static_cast<std::uint8_t>(i % 256);
    const auto out = convert_frame(f, in);
    CHECK(out[0] == 16);
    CHECK(out[255] == 235);
    for (std::size_t i = 0; i < 256; ++i)
        REQUIRE(close(out[i], 16 + 219.0 * static_cast<double>(i) / 255));
    for (std::size_t i = 512; i < out.size(); ++i)
        REQUIRE(out[i] == 128);
}

TEST_CASE("4:2:0 chroma is the 2x2 mean converted, within rounding, on random pixels") {
    const auto range = GENERATE(Range::limited, Range::full);
    const FrameSize s{64, 32};
    const auto in = random_rgba(s, 7);
    const auto f = make_yuv_format(kRgba, s, Chroma::s420, range);
    const auto out = convert_frame(f, in);
    const std::size_t luma = 64 * 32, chroma = luma / 4;
    for (std::uint32_t cy = 0; cy < 16; ++cy)
        for (std::uint32_t cx = 0; cx < 32; ++cx) {
            std::array<double, 3> sum{};
            for (std::uint32_t dy = 0; dy < 2; ++dy)
                for (std::uint32_t dx = 0; dx < 2; ++dx)
                    for (std::size_t k = 0; k < 3; ++k)
                        sum[k] += in[((2 * cy + dy) * 64 + 2 * cx + dx) * 4 + k];
            const auto want = reference(sum[0] / 4, sum[1] / 4, sum[2] / 4, range);
            REQUIRE(close(out[luma + cy * 32 + cx], want.cb));
            REQUIRE(close(out[luma + chroma + cy * 32 + cx], want.cr));
        }
    for (std::size_t i = 0; i < luma; ++i) {
        const std::uint8_t* p = &in[i * 4];
        REQUIRE(close(out[i], reference(p[0], p[1], p[2], range).y));
    }
}

TEST_CASE("every 8-bit input layout converts the same pixels to the same frame") {
    const FrameSize s{33, 17}; // odd both ways: the padded edge goes through every kernel
    const auto chroma = GENERATE(Chroma::s420, Chroma::s444);
    const auto rgba = random_rgba(s, 11);
    const auto want = convert_frame(make_yuv_format(kRgba, s, chroma, Range::limited), rgba);
    for (const char* name : {"argb", "bgra", "abgr", "rgb0", "bgr0", "0rgb", "rgb24", "bgr24"}) {
        INFO(name);
        const auto layout = *packed_layout(name);
        CHECK(convert_frame(make_yuv_format(layout, s, chroma, Range::limited),
                            relayout(rgba, layout)) == want);
    }
}

TEST_CASE("gray input converts its luminance and leaves chroma neutral") {
    const FrameSize s{5, 3};
    const auto gray = *packed_layout("gray");
    std::vector<std::uint8_t> in{0, 1, 2, 127, 128, 129, 200, 254, 255, 17, 90, 91, 3, 250, 100};
    const auto f = make_yuv_format(gray, s, Chroma::s420, Range::limited);
    const auto out = convert_frame(f, in);
    for (std::uint32_t y = 0; y < 3; ++y)
        for (std::uint32_t x = 0; x < 5; ++x)
            REQUIRE(close(out[y * 6 + x], 16 + 219.0 * in[y * 5 + x] / 255));
    // The padding is black, as ffmpeg's pad filter makes it.
    CHECK(out[5] == 16);
    CHECK(out[6 * 3 + 2] == 16);
    for (std::size_t i = 24; i < out.size(); ++i)
        REQUIRE(out[i] == 128);
}

TEST_CASE("odd sizes are padded with black, and edge chroma averages real pixels with it") {
    const auto range = GENERATE(Range::limited, Range::full);
    const FrameSize s{3, 3};
    const auto f = make_yuv_format(kRgba, s, Chroma::s420, range);
    REQUIRE(f.padded == FrameSize{4, 4});
    std::vector<std::uint8_t> in(f.input_bytes(), 255); // white
    const auto out = convert_frame(f, in);
    const std::uint8_t black = range == Range::limited ? 16 : 0;
    const std::uint8_t white = range == Range::limited ? 235 : 255;
    const std::array<std::uint8_t, 16> want_y{white, white, white, black, white, white,
                                              white, black, white, white, white, black,
                                              black, black, black, black};
    CHECK(std::equal(want_y.begin(), want_y.end(), out.begin()));
    // Grays everywhere (white, black and their means): Cb = Cr = 128.
    for (std::size_t i = 16; i < 24; ++i)
        CHECK(out[i] == 128);
    // A coloured edge: red's last chroma column averages 2 red pixels with 2 black ones.
    std::vector<std::uint8_t> red(f.input_bytes(), 0);
    for (std::size_t i = 0; i < 9; ++i)
        red[i * 4] = 255;
    const auto edge = convert_frame(f, red);
    const auto half = reference(255.0 / 2, 0, 0, range),
               quarter = reference(255.0 / 4, 0, 0, range);
    CHECK(close(edge[16 + 1], half.cb)); // top right: (2,0),(2,1) red, (3,*) padding
    CHECK(close(edge[20 + 1], half.cr));
    CHECK(close(edge[16 + 3], quarter.cb)); // bottom right: only (2,2) is red
    CHECK(close(edge[20 + 3], quarter.cr));
    CHECK(close(edge[16 + 2], half.cb)); // bottom left: (0,2),(1,2) red, row 3 padding
}

TEST_CASE("converting in row bands writes exactly what one pass writes") {
    const FrameSize s{31, 23};
    const auto chroma = GENERATE(Chroma::s420, Chroma::s444);
    const auto in = random_rgba(s, 3);
    const auto f = make_yuv_format(kRgba, s, chroma, Range::limited);
    const auto whole = convert_frame(f, in);
    std::vector<std::uint8_t> banded(f.output_bytes(), 0);
    for (std::uint32_t row = 0; row < s.height; row += 6)
        convert_rows(f, in.data(), banded.data(), row, row + 6);
    CHECK(banded == whole);
}

TEST_CASE("only 8-bit RGB and gray inputs, and yuv420p or yuv444p outputs, are converted") {
    CHECK_FALSE(packed_layout("gray16le"));
    CHECK_FALSE(packed_layout("grayf32le"));
    CHECK_FALSE(packed_layout("rgb48le"));
    CHECK(packed_layout("0rgb")->r == 1);
    CHECK(chroma_for("yuv420p") == Chroma::s420);
    CHECK(chroma_for("yuv444p") == Chroma::s444);
    CHECK_FALSE(chroma_for("nv12"));
    CHECK_FALSE(chroma_for("yuv422p10le"));
    CHECK_FALSE(range_for("mpeg"));
}

TEST_CASE("the baseline loops write what the ones chosen for this CPU write") {
    const FrameSize s{45, 19};
    const auto chroma = GENERATE(Chroma::s420, Chroma::s444);
    for (const char* name : {"rgba", "argb", "bgra", "abgr", "rgb24", "bgr24", "gray"}) {
        INFO(name);
        const auto layout = *packed_layout(name);
        const auto f = make_yuv_format(layout, s, chroma, Range::limited);
        const auto in = relayout(random_rgba(s, 5), layout);
        std::vector<std::uint8_t> out(f.output_bytes(), 0);
        baseline::kernel_for(layout)(f, in.data(), out.data(), 0, s.height);
        CHECK(out == convert_frame(f, in));
    }
}
